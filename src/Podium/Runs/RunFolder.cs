using Podium.Tracking;

namespace Podium.Runs;

/// <summary>
/// A run folder owned by one training while it runs: a lock file held open exclusively (a second training into the
/// same folder is refused at once, and a killed one leaves no live lock), and a fresh run never writes into a folder
/// that holds another run's files unless told to replace them (then they are deleted first: no stale thresholds,
/// predictions or checkpoints of an older model survive beside the new one).
/// </summary>
public sealed class RunFolder : IDisposable
{
    private const string LockName = ".podium-run.lock";
    private readonly FileStream _lock;

    public RunDirectory Run { get; }

    private RunFolder(RunDirectory run, FileStream held) => (Run, _lock) = (run, held);

    /// <summary>Claims <paramref name="path"/> for a training: a new run (refused if the folder holds files, unless
    /// <paramref name="overwrite"/>), or <paramref name="resume"/> of the run already there.</summary>
    public static RunFolder Claim(string path, bool resume = false, bool overwrite = false)
    {
        var root = Path.GetFullPath(path);
        Directory.CreateDirectory(root);
        FileStream held;
        try { held = new FileStream(Path.Combine(root, LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1); }
        catch (IOException)
        {
            throw new PodiumException($"{path}: another podium process is training into this run folder; wait for it, " +
            $"or use another --out");
        }
        try
        {
            // Empty folders hold nothing to lose: a start that failed before its first file (bad data, unfit weights) left them.
            var others = Directory.EnumerateFileSystemEntries(root).Where(e => Path.GetFileName(e) != LockName
                && !(Directory.Exists(e) && !Directory.EnumerateFiles(e, "*", SearchOption.AllDirectories).Any())).ToList();
            if (!resume && others.Count > 0)
            {
                if (!overwrite)
                    throw new PodiumException($"{path}: holds another run " +
                        $"({string.Join(", ", others.Take(3).Select(Path.GetFileName))}{(others.Count > 3 ? ", ..." : "")}); " +
                                              "use --overwrite to replace it, or another --out");
                foreach (var entry in others)
                    if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                    else File.Delete(entry);
            }
            RemoveStaleTemps(root);
            return new RunFolder(RunDirectory.Create(root), held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>Deletes what writes killed half-way left (<c>.best.pt.PID.tmp</c>, <c>resume-3.PID.tmp/</c>): their process is
    /// gone, and the finished file was never replaced by them. Temp files of a live process (an evaluate writing beside) stay.</summary>
    private static void RemoveStaleTemps(string root)
    {
        // A run writes into its root and the folders directly below it (checkpoints/, plots/, predictions/): no deeper walk.
        var folders = Directory.GetDirectories(root).Where(d => !Path.GetFileName(d).EndsWith(".tmp", StringComparison.Ordinal))
            .Prepend(root);
        foreach (var entry in folders.SelectMany(f => Directory.EnumerateFileSystemEntries(f, "*.tmp")).ToList())
        {
            var parts = Path.GetFileName(entry).Split('.');
            if (parts.Length < 3 || !int.TryParse(parts[^2], out var pid) || Alive(pid)) continue;
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; } // no such process
        catch (InvalidOperationException) { return false; }
    }

    public void Dispose()
    {
        _lock.Dispose();
        try { File.Delete(Path.Combine(Run.Root, LockName)); }
        catch (IOException) { } // claimed again meanwhile: the other owner deletes it
    }
}
