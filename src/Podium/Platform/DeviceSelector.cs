using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Platform;

/// <summary>--device auto|cpu|cuda. CUDA needs the TorchSharp-cuda-linux build (-p:TorchBackend=cuda) and a visible GPU.</summary>
public static class DeviceSelector
{
    public static Device Resolve(string requested)
    {
        switch (requested)
        {
            case "cpu": return CPU;
            case "auto": return cuda.is_available() ? CUDA : CPU;
            case "cuda":
                if (!cuda.is_available())
                    throw new PodiumException("--device cuda: no CUDA device is usable; this needs a GPU and a build with -p:TorchBackend=cuda (TorchSharp-cuda-linux), see README 'GPU'");
                return CUDA;
            default:
                throw new ConfigException($"--device {requested}: expected auto, cpu or cuda");
        }
    }
}

/// <summary>Process-wide settings for libtorch on this machine, applied once before any compute.</summary>
public static class TorchRuntime
{
    private static int _mallocTuned;

    /// <summary>Threads for libtorch's kernels (the configured count, or every core) and the allocator tuning below.</summary>
    public static void Configure(int threads)
    {
        int n = threads > 0 ? threads : Environment.ProcessorCount;
        if (get_num_threads() != n) set_num_threads(n);
        if (Interlocked.Exchange(ref _mallocTuned, 1) == 0 && Environment.GetEnvironmentVariable("PODIUM_MALLOC_TUNING") != "0")
            TuneGlibcMalloc();
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
