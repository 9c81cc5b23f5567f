namespace Podium.Data;

/// <summary>Images with per-pixel target maps, row-major [Count, Planes, Height, Width] (text detection's four DB maps).</summary>
public sealed class DenseBatch(float[] pixels, float[] maps, int planes, int[] indices, int channels, int height, int width)
    : ImageBatch(pixels, indices, channels, height, width)
{
    public float[] Maps { get; } = maps;
    public int Planes => planes;
    public long[] MapShape => [Count, planes, Height, Width];

    public override IEnumerable<float[]> Buffers() => [Pixels, Maps];
}
