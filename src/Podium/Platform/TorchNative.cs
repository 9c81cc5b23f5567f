using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Podium.Build;

namespace Podium.Platform;

/// <summary>
/// Makes TorchSharp's native library load on a libstdc++ older than GCC 13's (Debian 12), wherever Podium runs: a notebook, a
/// program referencing the Podium package, the dotnet tool, a test. libLibTorchSharp.so needs GLIBCXX_3.4.32 for one marker
/// symbol only; a copy with that need marked weak (build/ElfVersionNeeds.cs, as the build does to its output) is kept in the
/// user cache beside links to libtorch's libraries, made once and checked byte for byte against the package's file at each
/// start, and loaded before TorchSharp looks for it: TorchSharp's later load by name then finds it by its soname. Nothing is
/// done where the system libstdc++ has the version or the library found is already patched (Podium's own build output).
/// </summary>
public static class TorchNative
{
    private const string Library = "libLibTorchSharp.so";
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private static readonly Lock Gate = new();
    private static string? _status;

    /// <summary>
    /// Prepares and loads the patched copy if this machine needs it; runs once per process and returns, every time, what it
    /// found or did in one line. It never throws (a failure is that line, and TorchSharp's own error follows at its first use).
    /// Call it before anything touches TorchSharp when TorchSharp may be used before any Podium type (Podium's module initializer
    /// calls it too).
    /// </summary>
    public static string Ensure()
    {
        lock (Gate)
        {
            if (_status is not null) return _status;
            try
            {
                _status = Prepare(out var patched);
                if (patched is not null) NativeLibrary.Load(patched);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or DllNotFoundException
                or BadImageFormatException)
            {
                _status = "TorchSharp's native library could not be prepared: " + e.Message;
            }
            return _status;
        }
    }

    /// <summary>Finds the library and the system libstdc++ and, where needed, the cached patched copy (<paramref
    /// name="patched"/>).</summary>
    private static string Prepare(out string? patched)
    {
        patched = null;
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return "nothing to do on " + RuntimeInformation.RuntimeIdentifier;
        var original = FindOriginal();
        if (original is null) return Library + " not found beside the application or in the NuGet package cache";
        // Podium's own build output holds a patched copy already: known from its needs alone, the common case at every start.
        if (!ElfVersionNeeds.ReadNeeds(File.ReadAllBytes(original)).Any(n => n.Version == MissingVersion && !n.IsWeak))
            return original + " needs no patch";
        var system = SystemLibStdCxx();
        if (system is null) return "no system libstdc++ found; " + original + " left as it is";
        if (ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(system)).Contains(MissingVersion))
            return system + " defines " + MissingVersion + "; nothing to do";
        var libtorch = FindLibTorch(Path.GetDirectoryName(original)!);
        if (libtorch is null) return "libtorch_cpu.so not found beside " + original + " or in the NuGet package cache";
        patched = PatchedCopy(original, libtorch, UserCache.Folder("native"));
        return "loaded " + patched + " (" + system + " lacks " + MissingVersion + ")";
    }

    /// <summary>
    /// The cached copy of <paramref name="original"/> with the need marked weak, in a folder of its own with links to every
    /// library of <paramref name="libtorchDir"/> (its RUNPATH is $ORIGIN); null when the original has no strong need. An
    /// existing copy that differs in any byte from the patched original, or a link that points elsewhere, is made again.
    /// </summary>
    internal static string? PatchedCopy(string original, string libtorchDir, string cacheRoot)
    {
        var bytes = File.ReadAllBytes(original);
        if (ElfVersionNeeds.MarkWeak(bytes, MissingVersion) == 0) return null;
        var key = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "-"
            + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(libtorchDir)))[..8];
        var folder = Path.Combine(cacheRoot, "libtorchsharp-" + key);
        var copy = Path.Combine(folder, Library);
        var links = Directory.GetFiles(libtorchDir, "*.so*").Where(f => Path.GetFileName(f) != Library).ToList();
        if (IsIntact(copy, bytes, links)) return copy;
        Directory.CreateDirectory(folder);
        foreach (var target in links)
        {
            var link = Path.Combine(folder, Path.GetFileName(target));
            if (new FileInfo(link).LinkTarget == target) continue;
            var temp = link + "." + Environment.ProcessId + ".tmp";
            File.Delete(temp);
            File.CreateSymbolicLink(temp, target);
            File.Move(temp, link, overwrite: true);
        }
        // A fresh file renamed into place: another process may have the old copy mapped, or be writing the same bytes.
        var staged = copy + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(staged, bytes);
        File.Move(staged, copy, overwrite: true);
        return copy;
    }

    private static bool IsIntact(string copy, byte[] expected, List<string> links)
    {
        if (!File.Exists(copy) || new FileInfo(copy).Length != expected.Length) return false;
        if (!File.ReadAllBytes(copy).AsSpan().SequenceEqual(expected)) return false;
        var folder = Path.GetDirectoryName(copy)!;
        return links.All(t => new FileInfo(Path.Combine(folder, Path.GetFileName(t))).LinkTarget == t);
    }

    /// <summary>The library TorchSharp would load: in the application's native folders, else in the NuGet cache's TorchSharp
    /// package (a notebook's references are there).</summary>
    private static string? FindOriginal()
    {
        var dirs = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string search)
            dirs.AddRange(search.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        var torchSharp = typeof(TorchSharp.torch).Assembly;
        var assemblyDir = Path.GetDirectoryName(torchSharp.Location);
        if (!string.IsNullOrEmpty(assemblyDir))
        {
            dirs.Add(assemblyDir);
            // NuGet's layout: torchsharp/VERSION/lib/TFM/TorchSharp.dll beside torchsharp/VERSION/runtimes/linux-x64/native.
            dirs.Add(Path.GetFullPath(Path.Combine(assemblyDir, "..", "..", "runtimes", "linux-x64", "native")));
        }
        var version = torchSharp.GetName().Version;
        if (version is not null)
            dirs.Add(Path.Combine(NuGetPackages(), "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes",
                "linux-x64", "native"));
        return dirs.Select(d => Path.Combine(d, Library)).FirstOrDefault(File.Exists);
    }

    /// <summary>The folder with libtorch_cpu.so: beside the library (an application's output), else libtorch-cpu-linux-x64's
    /// newest version in the NuGet cache.</summary>
    private static string? FindLibTorch(string originalDir)
    {
        if (File.Exists(Path.Combine(originalDir, "libtorch_cpu.so"))) return originalDir;
        var package = Path.Combine(NuGetPackages(), "libtorch-cpu-linux-x64");
        if (!Directory.Exists(package)) return null;
        return Directory.GetDirectories(package)
            .Select(v => (Version: System.Version.TryParse(Path.GetFileName(v), out var p) ? p : null, Dir: v))
            .Where(v => v.Version is not null)
            .OrderByDescending(v => v.Version)
            .Select(v => Path.Combine(v.Dir, "runtimes", "linux-x64", "native"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch_cpu.so")));
    }

    /// <summary>NuGet's global packages folder (NUGET_PACKAGES, else ~/.nuget/packages).</summary>
    internal static string NuGetPackages() => Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The libstdc++ this process uses (the runtime loads it before any managed code), else the usual places.</summary>
    private static string? SystemLibStdCxx()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0 && Path.GetFileName(line.AsSpan(slash)).StartsWith("libstdc++.so.6", StringComparison.Ordinal))
                    return line[slash..];
            }
        }
        catch (IOException) { }
        return ElfVersionNeeds.SystemLibStdCxxCandidates.FirstOrDefault(File.Exists);
    }
}
