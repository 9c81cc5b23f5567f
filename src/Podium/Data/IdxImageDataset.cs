using System.Buffers.Binary;
using System.IO.Compression;
using OpenCvSharp;

namespace Podium.Data;

/// <summary>
/// MNIST-style idx files (raw or .gz): an idx3 images file (magic 0x803) and, beside it, the idx1
/// labels file (magic 0x801) whose name swaps "images-idx3" for "labels-idx1".
/// </summary>
public sealed class IdxImageDataset : ImageDataset
{
    private readonly byte[] _pixels;
    private readonly byte[]? _labels;
    private readonly string _path;

    public int Rows { get; }
    public int Cols { get; }
    public override int Count { get; }
    public override IReadOnlyList<string> Classes { get; }

    public IdxImageDataset(string imagesPath, string? labelsPath = null)
    {
        _path = imagesPath;
        var images = ReadAll(imagesPath);
        if (images.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(images) != 0x803)
            throw new PodiumException($"{imagesPath}: not an idx3 images file (magic 0x00000803 expected)");
        Count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        Rows = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        Cols = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        if (images.Length != 16 + (long)Count * Rows * Cols)
            throw new PodiumException($"{imagesPath}: truncated idx file ({images.Length} bytes, header says {Count}x{Rows}x{Cols})");
        _pixels = images[16..];

        labelsPath ??= LabelsPathFor(imagesPath);
        if (labelsPath is not null && File.Exists(labelsPath))
        {
            var labels = ReadAll(labelsPath);
            if (labels.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(labels) != 0x801)
                throw new PodiumException($"{labelsPath}: not an idx1 labels file (magic 0x00000801 expected)");
            int n = BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4));
            if (n != Count || labels.Length != 8 + n)
                throw new PodiumException($"{labelsPath}: {n} labels for {Count} images");
            _labels = labels[8..];
        }
        int classes = _labels is null ? 0 : _labels.Max() + 1;
        Classes = Enumerable.Range(0, classes).Select(i => i.ToString()).ToArray();
    }

    public static bool LooksLikeIdx(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        return name.Contains("idx3") || name.EndsWith("-ubyte") || name.EndsWith("-ubyte.gz");
    }

    public static string? LabelsPathFor(string imagesPath)
    {
        var dir = Path.GetDirectoryName(imagesPath) ?? ".";
        var name = Path.GetFileName(imagesPath);
        var candidate = name.Replace("images-idx3", "labels-idx1").Replace("images.idx3", "labels.idx1");
        return candidate == name ? null : Path.Combine(dir, candidate);
    }

    public override int Label(int index) => _labels is null ? Unlabelled : _labels[index];
    public override string Locate(int index) => $"{_path}#{index}";

    public override Mat Read(int index, int channels)
    {
        var mat = new Mat(Rows, Cols, MatType.CV_8UC1);
        mat.SetArray(_pixels.AsSpan(index * Rows * Cols, Rows * Cols).ToArray());
        if (channels == 3) Cv2.CvtColor(mat, mat, ColorConversionCodes.GRAY2RGB);
        return mat;
    }

    private static byte[] ReadAll(string path)
    {
        if (!File.Exists(path)) throw new PodiumException($"{path}: file not found");
        using var file = File.OpenRead(path);
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var ms = new MemoryStream();
        try { stream.CopyTo(ms); }
        catch (InvalidDataException e) { throw new PodiumException($"{path}: corrupt gzip data ({e.Message})"); }
        return ms.ToArray();
    }
}
