using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Podium.Platform;

/// <summary>Process-wide OpenCV settings, applied once before Podium's first OpenCV call.</summary>
public static class OpenCvRuntime
{
    private static int _configured;

    /// <summary>Whether OpenCV's bundled Intel IPP is switched off in this process (see <see cref="Configure"/>).</summary>
    public static bool IppDisabled { get; private set; }

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255",
        Justification = "Must run before the first OpenCV call, whichever Podium type makes it.")]
    internal static void OnLoad() => Configure();

    /// <summary>
    /// On CPUs other than Intel's, the IPP build inside OpenCvSharp's runtime re-runs its CPU
    /// detection (a CPUID per call, slow under virtualisation) on every IPP-backed call: ~4 µs
    /// each, which made a 256x256 copy take 8 µs instead of 4 and a bitwise_not 12 instead of 4.
    /// Switching IPP off there restores OpenCV's own SIMD paths. A user's OPENCV_IPP is left alone.
    /// </summary>
    public static void Configure()
    {
        if (Interlocked.Exchange(ref _configured, 1) != 0) return;
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OPENCV_IPP") is not null
            || CpuFeatures.Field("vendor_id") == "GenuineIntel") return;
        try
        {
            // OpenCV reads the variable from the native environment, which .NET's SetEnvironmentVariable does not change.
            setenv("OPENCV_IPP", "disabled", 0);
            var level = Cv2.GetLogLevel();
            Cv2.SetLogLevel(LogLevel.ERROR); // OpenCV warns once that IPP is off; that is the intent here
            using (var a = new Mat(1, 1, MatType.CV_8UC1)) using (var b = new Mat()) a.CopyTo(b); // IPP's settings are read on first use
            Cv2.SetLogLevel(level);
            IppDisabled = true;
        }
        catch (EntryPointNotFoundException) { } // not glibc
        catch (DllNotFoundException) { } // no OpenCV runtime: its first real use reports that
        catch (TypeInitializationException) { }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value,
        int overwrite);
}
