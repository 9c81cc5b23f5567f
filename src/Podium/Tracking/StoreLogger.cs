using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Podium.IO;
using Podium.Training;

namespace Podium.Tracking;

/// <summary>
/// Records runs in a <see cref="RunStore"/>. The training thread only queues (a bounded queue: memory stays bounded, and a
/// stalled store slows training rather than dropping rows); a writer thread flushes a batch per transaction every
/// <see cref="FlushInterval"/>, refreshing the heartbeat. A store that fails mid-run costs the record, never the run: one warning,
/// then the logger goes quiet. A run folder's tracking.json names its run in the store, so a resumed run continues its record.
/// Several runs one after another (cv folds) are several records.
/// </summary>
public sealed class StoreLogger(RunStore store, Action<string> warn) : IRunLogger, IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private const int Capacity = 100_000;

    private BlockingCollection<StoreEntry>? _queue;
    private Thread? _thread;
    private RunWriter? _writer;
    private IReadOnlyList<string> _parts = [];
    private string? _folder;
    private volatile bool _broken;

    /// <summary>The id of the run being recorded (or last recorded).</summary>
    public string? RunId { get; private set; }

    public static string MarkerPath(string folder) => Path.Combine(folder, "tracking.json");

    /// <summary>tracking.json: the store that holds a folder's run and its id there.</summary>
    public static void WriteMarker(string folder, string storeLocation, string id) => AtomicFile.WriteAllText(MarkerPath(folder),
        JsonSerializer.Serialize(new Dictionary<string, string> { ["store"] = storeLocation, ["run_id"] = id }, JsonFiles.Options));

    public void Start(RunStart start)
    {
        Stop();
        _broken = false;
        _parts = start.LossParts;
        _folder = Path.GetFullPath(start.Folder);
        var resumeId = start.ResumedAfterEpoch > 0 ? RunIdOf(start.Folder, store.Location) : null;
        Guard(() =>
        {
            _writer = resumeId is null ? null : new RunWriter(store, resumeId);
            // A resumed run whose record was deleted from the store starts a new one.
            if (_writer?.Resume(start.ResumedAfterEpoch, start.Epochs) != true)
            {
                _writer?.Dispose();
                _writer = new RunWriter(store, NewId());
                var config = Path.Combine(start.Folder, "config.yaml");
                _writer.Create(start.Name, Path.GetFullPath(start.Folder), start.Epochs, start.Monitor,
                    File.Exists(config) ? File.ReadAllText(config) : null,
                    start.Environment is null ? null : JsonSerializer.Serialize(start.Environment, JsonFiles.Options), Git());
                WriteMarker(start.Folder, store.Location, _writer.RunId);
            }
            RunId = _writer.RunId;
        });
        if (_broken) return;
        _queue = new BlockingCollection<StoreEntry>(Capacity);
        _thread = new Thread(Drain) { IsBackground = true, Name = "podium-store" };
        _thread.Start();
    }

    public void Hyperparameters(IReadOnlyDictionary<string, string> values) => Enqueue(new StoreEntry.Params(values));

    public void Step(StepRecord s)
    {
        List<(string, double)> values = [("loss", s.Loss), ("lr", s.Lr), ("data_wait_ms", s.DataWaitMs), ("step_ms", s.StepMs),
            ("decode_ms", s.DecodeMs), ("augment_ms", s.AugmentMs)];
        values.AddRange(s.NamedParts(_parts));
        Enqueue(new StoreEntry.Step(s.Step, s.Epoch, RunStore.Now(), values));
    }

    public void Epoch(EpochRecord e, bool best)
    {
        var values = new Dictionary<string, double>(e.Metrics)
        {
            ["train_loss"] = e.TrainLoss,
            ["seconds"] = e.Seconds,
            ["data_wait_seconds"] = e.DataWaitSeconds,
            ["rss_mb"] = e.RssMb,
        };
        Enqueue(new StoreEntry.Epoch(e.Epoch, best, values));
    }

    public void Image(string name, string path) => Enqueue(new StoreEntry.Artifact(name, path));

    /// <summary>Final figures; after <see cref="Finish"/> (the final evaluation comes after the loop) they are written at once.</summary>
    public void Results(string name, IReadOnlyDictionary<string, double> values)
    {
        List<StoreEntry> entries = [new StoreEntry.Results(name, values)];
        // Results come with the final evaluation, when the folder holds its report and pictures: the artifacts as they are now.
        if (_folder is { } folder && Directory.Exists(folder))
            entries.AddRange(RunImporter.Artifacts(folder).Select(f => new StoreEntry.Artifact(Path.GetRelativePath(folder, f), f)));
        Enqueue([.. entries]);
    }

    public void Finish(RunEnd end) => End(new StoreEntry.End("finished", end.Reason));

    public void Fail(string error) => End(new StoreEntry.End("failed", error));

    private void End(StoreEntry.End end)
    {
        Enqueue(end);
        Stop();
    }

    private void Enqueue(params StoreEntry[] entries)
    {
        if (_broken || _writer is null) return;
        if (_queue is { IsAddingCompleted: false } q) Array.ForEach(entries, q.Add);
        else Guard(() => _writer.Write(entries)); // after the run's end: at once, one transaction
    }

    /// <summary>Flushes what is queued and stops the writer thread (the run's writer stays for late results).</summary>
    private void Stop()
    {
        if (_queue is null) return;
        _queue.CompleteAdding();
        _thread!.Join();
        _queue.Dispose();
        (_queue, _thread) = (null, null);
    }

    private void Drain()
    {
        var batch = new List<StoreEntry>();
        var heartbeat = Stopwatch.StartNew();
        var queue = _queue!;
        while (!queue.IsCompleted)
        {
            if (queue.TryTake(out var first, FlushInterval)) batch.Add(first);
            while (batch.Count < 20_000 && queue.TryTake(out var next)) batch.Add(next);
            if (batch.Count == 0 && heartbeat.Elapsed < RunStore.HeartbeatInterval) continue;
            if (!_broken) Guard(() => _writer!.Write(batch));
            batch.Clear();
            heartbeat.Restart();
        }
    }

    private void Guard(Action write)
    {
        try { write(); }
        catch (Exception e) when (RunStore.IsStoreError(e) || e is UnauthorizedAccessException or PodiumException)
        {
            _broken = true;
            warn($"tracking: {store.Location}: {RunStore.Describe(e)}; this run is no longer recorded in the store (its folder still is)");
        }
    }

    /// <summary>The run id a folder's tracking.json gives it in the store at <paramref name="storeLocation"/>; null without a
    /// marker or for another store.</summary>
    public static string? RunIdOf(string folder, string storeLocation)
    {
        var marker = MarkerPath(folder);
        if (!File.Exists(marker)) return null;
        try
        {
            var values = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(marker));
            return values is not null && values.GetValueOrDefault("store") == storeLocation ? values.GetValueOrDefault("run_id") : null;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>A run id: 12 hex digits, random (unique across machines writing one store); commands take any unique prefix.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>The working folder's git commit and whether tracked files differ from it; null outside a repository or without
    /// git.</summary>
    public static (string Commit, bool Dirty)? Git(string? folder = null)
    {
        folder ??= Environment.CurrentDirectory;
        var commit = GitOutput(folder, "rev-parse HEAD")?.Trim();
        if (string.IsNullOrEmpty(commit)) return null;
        var status = GitOutput(folder, "status --porcelain --untracked-files=no");
        return (commit, !string.IsNullOrWhiteSpace(status));
    }

    private static string? GitOutput(string folder, string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("git", $"-C \"{folder}\" {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (p is null) return null;
            var output = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; } // no git installed
    }

    public void Dispose()
    {
        Stop();
        _writer?.Dispose();
        _writer = null;
    }
}
