using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Podium.Platform;

/// <summary>Process-wide settings for libtorch on this machine, applied once before any compute.</summary>
public static class TorchRuntime
{
    private static int _mallocTuned;
    private static int _nnpackChecked;
    private static int _isaChecked;

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
        if (Interlocked.Exchange(ref _nnpackChecked, 1) == 0) DisableNnpack();
    }

    /// <summary>
    /// libtorch tries NNPACK for inference-only convolutions that oneDNN does not take (1×1, batch of 16 or more); on CPUs its
    /// cpuinfo does not recognise (a 2-core AMD EPYC VM) each try writes "Could not initialize NNPACK! Reason: Unsupported
    /// hardware" to stderr, 82 lines in one prediction, which buries Podium's one-line errors. oneDNN or the native kernels do
    /// that work as well, so NNPACK is switched off (at::globalContext().setUserEnabledNNPACK(false); TorchSharp has no call).
    /// </summary>
    private static void DisableNnpack()
    {
        try
        {
            SetUserEnabledNnpack(GlobalContext(), false);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { } // another libtorch: leave it
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

    /// <summary>
    /// libtorch 2.10's oneDNN 3.7.1 sizes its brgemm convolution blocks from the caches cpuid reports; on AMD AVX-512 cores
    /// whose hypervisor hides them (no /sys/devices/system/cpu/cpu0/cache; seen on a 2-core AMD EPYC VM, where NNPACK's
    /// cpuinfo fails too) a ResNet-50 backward dies of SIGFPE in brgemm_convolution_bwd_utils::est_eff_1x1 (capped at AVX2
    /// too) and a DBNet step's input gradient is NaN in about half of the runs. Capped at AVX, oneDNN has no brgemm kernels:
    /// both pass every time. It costs speed (flowers, resnet18, 64 px, an epoch on 2 cores: 19.0 s uncapped, 31.3 s at AVX2,
    /// 38.7 s at AVX, 81 s without oneDNN), but the uncapped runs crash. So there oneDNN is capped at AVX unless the user set
    /// ONEDNN_MAX_CPU_ISA. oneDNN reads the cap once, at its first use, so this runs when the assembly loads (also before
    /// other threads read the environment: setenv is not safe beside them); code that runs TorchSharp before touching Podium
    /// sets ONEDNN_MAX_CPU_ISA itself (the tests call this first).
    /// </summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "oneDNN reads the cap at its first use")]
    internal static void OnLoad()
    {
        CapOneDnnIsa();
        TorchNative.Ensure(); // before any Podium type reaches TorchSharp, which loads its native library once
    }

    internal static void CapOneDnnIsa()
    {
        if (Interlocked.Exchange(ref _isaChecked, 1) != 0 || !OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is not null
            || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null) return;
        if (Directory.Exists("/sys/devices/system/cpu/cpu0/cache")) return; // the caches are known: oneDNN sizes its blocks right
        try
        {
            var cpu = File.ReadAllText("/proc/cpuinfo");
            if (!cpu.Contains("AuthenticAMD", StringComparison.Ordinal) || !cpu.Contains(" avx512f", StringComparison.Ordinal)) return;
        }
        catch (IOException) { return; }
        // .NET's own environment copy is not what native code reads: set it in libc's.
        setenv("ONEDNN_MAX_CPU_ISA", "AVX", 1);
    }

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    // A member function: the Itanium C++ ABI passes the object as the first argument.
    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
