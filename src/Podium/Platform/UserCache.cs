namespace Podium.Platform;

/// <summary>Podium's per-user cache: ~/.cache/podium, or PODIUM_CACHE (weights, hub downloads, the patched native library).</summary>
public static class UserCache
{
    public static string Root => Environment.GetEnvironmentVariable("PODIUM_CACHE")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "podium");

    /// <summary>A folder of the cache, by name (not created).</summary>
    public static string Folder(string name) => Path.Combine(Root, name);
}
