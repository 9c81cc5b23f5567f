using OpenCvSharp;

namespace Podium.Data;

/// <summary>
/// Keeps decoded images in memory, up to a byte budget, so epochs after the first skip JPEG/PNG
/// decoding: on a CPU box the loader's decode time is taken from the model's cores. Entries
/// are never evicted (memory stays flat once the budget or the dataset is covered); readers
/// get a copy, since transforms replace and dispose their input.
/// </summary>
public sealed class CachedDataset(ImageDataset source, long budgetBytes) : ImageDataset
{
    private readonly Mat?[] _cache = new Mat?[source.Count];
    private readonly int[] _channels = new int[source.Count];
    private long _used;

    public ImageDataset Source { get; } = source;
    public long BytesUsed => Interlocked.Read(ref _used);
    public override int Count => Source.Count;
    public override IReadOnlyList<string> Classes => Source.Classes;
    public override int Label(int index) => Source.Label(index);
    public override string Locate(int index) => Source.Locate(index);
    public override string[]? Groups() => Source.Groups();
    public override bool MultiLabel => Source.MultiLabel;
    public override int[]? Tags(int index) => Source.Tags(index);

    public override Mat Read(int index, int channels)
    {
        var hit = Volatile.Read(ref _cache[index]);
        if (hit is not null && _channels[index] == channels) return hit.Clone();
        var image = Source.Read(index, channels);
        long size = image.Total() * image.ElemSize();
        if (hit is null && Interlocked.Add(ref _used, size) <= budgetBytes)
        {
            _channels[index] = channels;
            if (Interlocked.CompareExchange(ref _cache[index], image.Clone(), null) is not null) Interlocked.Add(ref _used, -size);
        }
        else if (hit is null) Interlocked.Add(ref _used, -size);
        return image;
    }
}
