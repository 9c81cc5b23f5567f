using System.Diagnostics;
using Podium.Tracking;
using Podium.Training;
using static Podium.Platform.Invariant;

// The run store's figures (issue 18): what logging a step costs the training thread, how long listing N runs takes, and
// the store's size on disk. Usage: dotnet run -c Release --project bench/StoreBench [RUNS] [STEPS_PER_RUN] [STORE]
// (STORE: an empty PostgreSQL database's postgresql:// URL; default a new SQLite file)
var runs = args.Length > 0 ? int.Parse(args[0]) : 10_000;
var steps = args.Length > 1 ? int.Parse(args[1]) : 100;
var root = Path.Combine(Path.GetTempPath(), $"podium-storebench-{Guid.NewGuid():N}"[..30]);
Directory.CreateDirectory(root);
try
{
    var path = args.Length > 2 ? args[2] : Path.Combine(root, "podium.db");
    var store = RunStore.Open(path);
    var folder = Path.Combine(root, "run");
    Directory.CreateDirectory(folder);
    var warnings = new List<string>();
    var record = Stopwatch.StartNew();
    var onThread = new Stopwatch();
    for (var r = 0; r < runs; r++)
    {
        using var logger = new StoreLogger(store, warnings.Add);
        logger.Start(new RunStart($"run{r % 97}", folder, 10, steps / 10, 0, ["bce", "dice"], [], "val_accuracy"));
        logger.Hyperparameters(new Dictionary<string, string>
        { ["train.optimizer.lr"] = F($"{1e-3 * (1 + r % 7)}"), ["seed"] = F($"{r}") });
        // What the training thread pays per step: building the record's values and queueing them.
        onThread.Start();
        for (var s = 0; s < steps; s++) logger.Step(new StepRecord(s, 1 + s * 10 / steps, 1e-3, 1.0 / (s + 1), 0.1, 50, 1, 2, [0.5, 0.25]));
        onThread.Stop();
        for (var e = 1; e <= 10; e++)
            logger.Epoch(new EpochRecord(e, 1.0 / e, new Dictionary<string, double>
            {
                ["val_accuracy"] = e / 10.0 * (r % 100) / 100,
                ["val_loss"] = 1.0 / e
            }, 30, 0, 900), best: e == 10);
        logger.Finish(new RunEnd(10, 10, null, null));
    }
    record.Stop();
    if (warnings.Count > 0) throw new InvalidOperationException(warnings[0]);
    Console.WriteLine(F($"recorded {runs} runs x {steps} steps x 8 step values + 10 epochs: {record.Elapsed.TotalSeconds:F1} s " +
        $"({record.Elapsed.TotalMilliseconds / runs:F2} ms per run, start to finish, writes included)"));
    Console.WriteLine(F($"training thread per logged step: {onThread.Elapsed.TotalMilliseconds * 1000 / ((double)runs * steps):F2} µs") +
        " (build the values and queue them; the writer thread does the rest)");

    // Listing: fresh process-like conditions (a new store object), all runs, then a filtered and sorted list.
    foreach (var (label, filter) in new[]
    {
        ("all runs, newest first", new RunFilter()),
        ("name run1*, val_accuracy>0.5, sorted by val_accuracy", new RunFilter { Name = "run1*", Where = ["val_accuracy>0.5"],
            Sort = "val_accuracy" }),
    })
    {
        var list = Stopwatch.StartNew();
        var listed = RunStore.Open(path).List(filter);
        list.Stop();
        Console.WriteLine(F($"list {label}: {listed.Count} runs in {list.Elapsed.TotalMilliseconds:F0} ms"));
    }
    // The command a user types, start-up included: .NET, the store's opening, 10,000 rows printed.
    var cli = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Podium.Cli/bin/Release/net10.0/Podium.Cli.dll"));
    if (File.Exists(cli))
    {
        var clock = Stopwatch.StartNew();
        var psi = new ProcessStartInfo("dotnet", $"\"{cli}\" runs list --store \"{path}\"") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        p.WaitForExit();
        Console.WriteLine(F($"podium runs list (a new process, {lines} lines printed): {clock.Elapsed.TotalMilliseconds:F0} ms"));
    }
    var bytes = RunStore.IsServer(path) ? DatabaseSize(path)
        : new DirectoryInfo(root).EnumerateFiles("podium.db*").Sum(f => f.Length);
    Console.WriteLine(F($"store on disk: {bytes / 1e6:F1} MB ({bytes / (double)runs / 1024:F1} KB per run)"));
}
finally
{
    Directory.Delete(root, recursive: true);
}

// What PostgreSQL says the database takes (tables, indexes, TOAST).
static long DatabaseSize(string url)
{
    var uri = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
    var database = uri[(uri.IndexOf('/') + 1)..].Split('?')[0];
    var at = uri.IndexOf("?host=", StringComparison.Ordinal);
    var host = at >= 0 ? uri[(at + "?host=".Length)..] : "localhost";
    var user = uri.Contains('@') ? uri[..uri.IndexOf('@')] : Environment.UserName;
    using var c = new Npgsql.NpgsqlConnection($"Host={host};Username={user};Database={database}");
    c.Open();
    using var q = new Npgsql.NpgsqlCommand("SELECT pg_database_size(current_database())", c);
    return (long)q.ExecuteScalar()!;
}
