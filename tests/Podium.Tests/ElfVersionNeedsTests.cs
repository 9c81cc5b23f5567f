using Podium.Build;

namespace Podium.Tests;

/// <summary>The build's fix for TorchSharp's GLIBCXX_3.4.32 need on older libstdc++ (Debian 12).</summary>
public class ElfVersionNeedsTests
{
    private const string Version = "GLIBCXX_3.4.32";

    internal static string PackageLibrary()
    {
        var path = Path.Combine(Platform.TorchNative.NuGetPackages(), "torchsharp", "0.107.0", "runtimes", "linux-x64", "native",
            "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"TorchSharp's native library not in the package cache: {path}");
        return path;
    }

    private static string SystemLibStdCxx() => ElfVersionNeeds.SystemLibStdCxxCandidates.First(File.Exists);

    [Fact]
    public void PackageLibraryHasAStrongNeedOfGlibcxx3432()
    {
        var needs = ElfVersionNeeds.ReadNeeds(File.ReadAllBytes(PackageLibrary()));
        var need = Assert.Single(needs, n => n.Version == Version);
        Assert.Equal("libstdc++.so.6", need.Library);
        Assert.False(need.IsWeak);
        Assert.Contains(needs, n => n.Version == "GLIBCXX_3.4.30"); // and older ones it really uses
    }

    [Fact]
    public void MarkWeakChangesOnlyThatNeedsFlags()
    {
        var original = File.ReadAllBytes(PackageLibrary());
        var patched = (byte[])original.Clone();
        Assert.Equal(1, ElfVersionNeeds.MarkWeak(patched, Version));
        Assert.Equal(0, ElfVersionNeeds.MarkWeak(patched, Version)); // idempotent

        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        Assert.Single(differing); // one byte of one vna_flags field: VER_FLG_WEAK = 0x2
        var before = ElfVersionNeeds.ReadNeeds(original);
        var after = ElfVersionNeeds.ReadNeeds(patched);
        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i].Version, after[i].Version);
            Assert.Equal(before[i].Version == Version, after[i].IsWeak && !before[i].IsWeak);
        }
    }

    [Fact]
    public void SystemLibraryDefinitionsAreRead()
    {
        var defs = ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(SystemLibStdCxx()));
        Assert.Contains("GLIBCXX_3.4", defs);
        Assert.Contains("GLIBCXX_3.4.30", defs); // GCC 12 (Debian 12) or newer
    }

    [Fact]
    public void WeakensOnlyWhereTheSystemLacksTheVersion()
    {
        var dir = TestEnv.TempDir("elf");
        var copy = Path.Combine(dir, "libLibTorchSharp.so");
        File.Copy(PackageLibrary(), copy);
        // A "system" that defines the version: nothing is touched.
        var fakeNew = ElfVersionNeeds.WeakenIfMissing(copy, SystemLibStdCxx(), "GLIBCXX_3.4.30");
        Assert.Contains("left as it is", fakeNew);
        Assert.Equal(File.ReadAllBytes(PackageLibrary()), File.ReadAllBytes(copy));

        bool systemHasIt = ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(SystemLibStdCxx())).Contains(Version);
        ElfVersionNeeds.WeakenIfMissing(copy, SystemLibStdCxx(), Version);
        var need = ElfVersionNeeds.ReadNeeds(File.ReadAllBytes(copy)).Single(n => n.Version == Version);
        Assert.Equal(!systemHasIt, need.IsWeak);
    }

    [Fact]
    public void BuildOutputCopyMatchesThisSystem()
    {
        // What the build did to the library these very tests load torch from (in the output's root when built for this
        // platform, under runtimes/RID/native when portable). The output copies are hard links to the package cache where
        // they can be: the patch writes a new file, so the cache's copy stays as it was (the test above).
        var outputs = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        Assert.NotEmpty(outputs);
        bool systemHasIt = ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(SystemLibStdCxx())).Contains(Version);
        foreach (var output in outputs)
        {
            var need = ElfVersionNeeds.ReadNeeds(File.ReadAllBytes(output)).Single(n => n.Version == Version);
            Assert.Equal(!systemHasIt, need.IsWeak);
        }
        // And it loads: a tensor op runs through it.
        using var t = TorchSharp.torch.ones(3);
        Assert.Equal(3f, t.sum().item<float>());
    }

    [Fact]
    public void RejectsNonElfInput() =>
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.ReadNeeds(new byte[100]));
}
