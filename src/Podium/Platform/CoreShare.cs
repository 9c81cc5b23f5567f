using System.Diagnostics;
using System.Globalization;

namespace Podium.Platform;

/// <summary>
/// How many threads libtorch's kernels get while several trainings share the machine's cores. Two
/// multi-threaded libtorch processes on the same cores slow each other down about 5x (measured on 2 cores:
/// quickstart epochs 7 s alone, 35 s each side by side; PyTorch collapses the same way), because OpenMP
/// threads spin at every barrier while their partner waits for a core. So every training registers in a
/// machine-wide folder, as a file it keeps locked while it lives (a killed process leaves no live lock), and
/// the live trainings split the cores: those at the lowest niceness share them equally, a niced one (a
/// background job) beside a less niced one keeps a single thread. Cores are then never oversubscribed by
/// Podium (two trainings: about 1.9x their solo epoch time each). The split is re-read between steps every
/// few seconds, so a training that starts or ends beside a running one is seen within an epoch.
/// </summary>
public sealed class CoreShare : IDisposable
{
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(2);

    private readonly FileStream? _registration;
    private readonly string? _path;
    private readonly int? _fixed;
    private long _checkedAt;

    /// <summary>The cores this process may use: its CPU affinity and cgroup quota, as .NET counts them.</summary>
    public static int Cores => Environment.ProcessorCount;

    /// <summary>Where live trainings register (shared by every user of the machine, like /tmp itself).</summary>
    public static string Folder => Path.Combine(Path.GetTempPath(), "podium-trainings");

    /// <summary>The thread count this training uses now.</summary>
    public int Threads { get; private set; }

    private CoreShare(FileStream? registration, string? path, int? fixedThreads)
    {
        (_registration, _path, _fixed) = (registration, path, fixedThreads);
        Threads = fixedThreads ?? ShareFor(Niceness(Environment.ProcessId), Live(exceptPath: path), Cores);
        _checkedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Registers a training and applies its thread count. <paramref name="fixedThreads"/> (train.threads, or a
    /// deterministic run's count) keeps that count whatever else runs; null shares the cores.
    /// </summary>
    public static CoreShare Join(int? fixedThreads)
    {
        var (stream, path) = Register();
        var share = new CoreShare(stream, path, fixedThreads);
        TorchRuntime.SetThreads(share.Threads);
        return share;
    }

    /// <summary>The thread count for work that does not register (prediction, evaluation): an equal share beside the live
    /// trainings.</summary>
    public static int Untracked() => ShareFor(Niceness(Environment.ProcessId), Live(exceptPath: null), Cores);

    /// <summary>Between steps: every few seconds, re-reads who shares the cores and applies a changed count. True when it
    /// changed.</summary>
    public bool Refresh()
    {
        if (_fixed is not null || Stopwatch.GetElapsedTime(_checkedAt) < RecheckEvery) return false;
        _checkedAt = Stopwatch.GetTimestamp();
        int threads = ShareFor(Niceness(Environment.ProcessId), Live(exceptPath: _path), Cores);
        if (threads == Threads) return false;
        Threads = threads;
        TorchRuntime.SetThreads(threads);
        return true;
    }

    /// <summary>
    /// The rule: the trainings at the lowest niceness present (this one among them) share the cores equally;
    /// a training more niced than another live one takes one thread.
    /// </summary>
    public static int ShareFor(int myNiceness, IReadOnlyList<int> othersNiceness, int cores)
    {
        if (othersNiceness.Any(n => n < myNiceness)) return 1;
        int peers = 1 + othersNiceness.Count(n => n == myNiceness);
        return Math.Max(1, cores / peers);
    }

    /// <summary>How many trainings on this machine hold a registration now (this process's included).</summary>
    public static int LiveTrainings() => Live(exceptPath: null).Count;

    /// <summary>The niceness of every other live registered training (a file whose lock nobody holds is a dead one's: removed).</summary>
    private static List<int> Live(string? exceptPath)
    {
        var nice = new List<int>();
        string[] files;
        try { files = Directory.GetFiles(Folder, "*.lock"); }
        catch (DirectoryNotFoundException) { return nice; }
        foreach (var file in files)
        {
            if (file == exceptPath) continue;
            try
            {
                // Opening with FileShare.None takes the same advisory lock the owner holds: it fails while the owner lives.
                using (new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None)) { }
                TryDelete(file);
            }
            catch (IOException) when (File.Exists(file))
            {
                nice.Add(int.TryParse(Path.GetFileName(file).Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture,
                    out var pid) ? Niceness(pid) : 0);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // another user's stale file, or gone meanwhile
        }
        return nice;
    }

    private static (FileStream?, string?) Register()
    {
        try
        {
            if (!Directory.Exists(Folder))
            {
                Directory.CreateDirectory(Folder);
                // Every user's trainings share the cores, so every user may register here (sticky, as /tmp is).
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Folder, (UnixFileMode)Convert.ToInt32("1777", 8));
            }
            // Locked under a name the others do not read, then renamed: nobody can find it unlocked and take it for a dead one's.
            var name = Path.Combine(Folder, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
            var stream = new FileStream(name + ".new", FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1);
            File.Move(name + ".new", name + ".lock");
            return (stream, name + ".lock");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, null); // no shared folder to write to: share nothing, use every core
        }
    }

    /// <summary>The niceness (-20..19) of a process, 0 when it cannot be read.</summary>
    public static int Niceness(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ..."; comm may hold spaces, so fields count from the last ')'; nice is field 19.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[16], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    public void Dispose()
    {
        if (_path is not null) TryDelete(_path);
        _registration?.Dispose();
    }
}
