using Podium.Build;
using Podium.Platform;

namespace Podium.Tests;

/// <summary>The run-time GLIBCXX fix: the cached patched copy of TorchSharp's library, made once and kept byte for byte.</summary>
public class TorchNativeTests
{
    private static string PackageLibrary => ElfVersionNeedsTests.PackageLibrary();

    private static string LibTorchDir =>
        Path.Combine(TorchNative.NuGetPackages(), "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");

    [Fact]
    public void PatchedCopyIsMadeOnceBesideLinksToLibtorchAndRemadeWhenAByteChanges()
    {
        var cache = TestEnv.TempDir("native");
        var copy = TorchNative.PatchedCopy(PackageLibrary, LibTorchDir, cache);
        Assert.NotNull(copy);
        var original = File.ReadAllBytes(PackageLibrary);
        var patched = File.ReadAllBytes(copy);
        Assert.Equal(original.Length, patched.Length);
        Assert.Single(Enumerable.Range(0, original.Length), i => original[i] != patched[i]); // the one flags byte
        Assert.True(ElfVersionNeeds.ReadNeeds(patched).Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak);
        var folder = Path.GetDirectoryName(copy)!;
        foreach (var lib in new[] { "libtorch_cpu.so", "libc10.so", "libtorch.so" })
            Assert.Equal(Path.Combine(LibTorchDir, lib), new FileInfo(Path.Combine(folder, lib)).LinkTarget);

        // Made once: a second start finds it intact and leaves the very same file.
        var written = File.GetLastWriteTimeUtc(copy);
        Thread.Sleep(20);
        Assert.Equal(copy, TorchNative.PatchedCopy(PackageLibrary, LibTorchDir, cache));
        Assert.Equal(written, File.GetLastWriteTimeUtc(copy));

        // A copy changed in one byte (a disk error, another tool) or a link pointing elsewhere is made again.
        var damaged = (byte[])patched.Clone();
        damaged[damaged.Length / 2] ^= 0xFF;
        File.WriteAllBytes(copy, damaged);
        File.Delete(Path.Combine(folder, "libc10.so"));
        File.CreateSymbolicLink(Path.Combine(folder, "libc10.so"), "/nonexistent/libc10.so");
        Assert.Equal(copy, TorchNative.PatchedCopy(PackageLibrary, LibTorchDir, cache));
        Assert.Equal(patched, File.ReadAllBytes(copy));
        Assert.Equal(Path.Combine(LibTorchDir, "libc10.so"), new FileInfo(Path.Combine(folder, "libc10.so")).LinkTarget);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void AnAlreadyPatchedLibraryNeedsNoCopy()
    {
        var dir = TestEnv.TempDir("native");
        var lib = Path.Combine(dir, "libLibTorchSharp.so");
        var bytes = File.ReadAllBytes(PackageLibrary);
        ElfVersionNeeds.MarkWeak(bytes, "GLIBCXX_3.4.32");
        File.WriteAllBytes(lib, bytes);
        Assert.Null(TorchNative.PatchedCopy(lib, LibTorchDir, Path.Combine(dir, "cache")));
        Assert.False(Directory.Exists(Path.Combine(dir, "cache")));
    }

    [Fact]
    public void TheTestsOwnOutputNeededNothing()
    {
        // These tests load TorchSharp from their build output, which the build patched (or this libstdc++ has the version).
        var status = TorchNative.Ensure();
        Assert.True(status.Contains("needs no patch", StringComparison.Ordinal)
            || status.Contains("nothing to do", StringComparison.Ordinal), status);
        using var t = TorchSharp.torch.ones(2);
        Assert.Equal(2f, t.sum().item<float>());
    }
}
