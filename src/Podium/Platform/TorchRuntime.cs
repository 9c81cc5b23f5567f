using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Podium.Platform;

/// <summary>Process-wide settings for libtorch on this machine, applied once before any compute.</summary>
public static class TorchRuntime
{
    private static int _mallocTuned;

    /// <summary>
    /// Threads for libtorch's kernels (the configured count, or else this process's share of the cores beside the
    /// trainings running on the machine) and the allocator tuning below.
    /// </summary>
    public static void Configure(int threads)
    {
        SetThreads(threads > 0 ? threads : CoreShare.Untracked());
        if (Interlocked.Exchange(ref _mallocTuned, 1) == 0 && Environment.GetEnvironmentVariable("PODIUM_MALLOC_TUNING") != "0")
            TuneGlibcMalloc();
    }

    /// <summary>libtorch's intra-op thread count for this thread's kernels.</summary>
    public static void SetThreads(int threads)
    {
        if (get_num_threads() != threads) set_num_threads(threads);
    }

    // glibc serves every allocation above 32 MB (a ResNet activation at batch 64) with a fresh mmap,
    // so each training step page-faults and zeroes hundreds of MB that it just freed. Keeping
    // them in the heap (no mmap, no trimming) makes CPU steps ~10% faster; memory stays at its
    // peak, flat. PyTorch's docs suggest jemalloc/tcmalloc for the same reason. Off with
    // PODIUM_MALLOC_TUNING=0.
    private static void TuneGlibcMalloc()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            const int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_MAX = -4;
            mallopt(M_MMAP_MAX, 0);
            mallopt(M_TRIM_THRESHOLD, int.MaxValue);
            mallopt(M_TOP_PAD, 64 << 20);
        }
        catch (EntryPointNotFoundException) { } // not glibc (musl): nothing to tune
        catch (DllNotFoundException) { }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
