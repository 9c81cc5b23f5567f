using System.Runtime.InteropServices;

namespace Podium.Platform;

/// <summary>
/// A path with every symbolic link and <c>.</c>/<c>..</c> resolved (POSIX realpath): two paths name the same real folder exactly
/// when their real paths are equal, which is what a folder walk needs to read each folder once, however links loop.
/// </summary>
public static class RealPath
{
    /// <summary>The real path, or null when it cannot be resolved (a broken or endless link, no permission).</summary>
    public static string? Of(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            IntPtr resolved = realpath(path, IntPtr.Zero);
            if (resolved == IntPtr.Zero) return null;
            try { return Marshal.PtrToStringUTF8(resolved); }
            finally { free(resolved); }
        }
        try
        {
            // Windows: a link's final target; a plain folder is its own full path.
            var info = new DirectoryInfo(path);
            return Path.GetFullPath(info.LinkTarget is null ? path : info.ResolveLinkTarget(true)?.FullName ?? path);
        }
        catch (IOException) { return null; }
    }

    [DllImport("libc", EntryPoint = "realpath")]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void free(IntPtr pointer);
}
