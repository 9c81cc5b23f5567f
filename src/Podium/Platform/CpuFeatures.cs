namespace Podium.Platform;

/// <summary>What this machine's CPU is and can do, from Linux's /proc/cpuinfo (null elsewhere or when unreadable).</summary>
public static class CpuFeatures
{
    /// <summary>The value of a /proc/cpuinfo field of the first CPU (vendor_id, flags, ...).</summary>
    public static string? Field(string name)
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(name,
                StringComparison.Ordinal) && l[name.Length..].TrimStart().StartsWith(':'))?.Split(':', 2)[1].Trim();
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>True when the CPU computes bf16 natively (AVX512-BF16 or AMX), where libtorch's bf16 kernels beat fp32.</summary>
    public static bool HasNativeBFloat16() =>
        Field("flags")?.Split(' ') is { } flags && (flags.Contains("avx512_bf16") || flags.Contains("amx_bf16"));
}
