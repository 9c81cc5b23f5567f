namespace Podium.Platform;

/// <summary>Reproducible random streams: every sample, epoch and purpose gets its own seed from the run's.</summary>
public static class Seeds
{
    /// <summary>SplitMix64 of (seed, epoch, index): independent, reproducible streams per sample (negative indices name other
    /// purposes).</summary>
    public static int For(int seed, int epoch, int index)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)epoch * 0xBF58476D1CE4E5B9UL ^ (ulong)(uint)index *
            0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
