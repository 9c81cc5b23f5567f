using System.Data;
using System.Data.Common;
using static Podium.Tracking.RunStore;

namespace Podium.Tracking;

/// <summary>
/// One run's writes into a <see cref="RunStore"/>: its row, then batches of steps, epochs and results, each batch one
/// transaction (so a kill leaves whole batches), each refreshing the run's heartbeat.
/// </summary>
internal sealed class RunWriter(RunStore store, string runId) : IDisposable
{
    private DbConnection? _connection;

    public string RunId => runId;

    private DbConnection Connection => _connection ??= store.Connect();

    /// <summary>A new run row, running, owned by this process.</summary>
    public void Create(string name, string folder, int epochs, string monitor, string? config, string? environment,
        (string Commit, bool Dirty)? git, double? started = null)
    {
        var now = started ?? Now();
        Execute(Connection, "INSERT INTO runs (id, name, folder, status, started, heartbeat, host, pid, git_commit, git_dirty, config, " +
            "environment, epochs, monitor) VALUES (@id, @name, @folder, 'running', @now, @now, @host, @pid, @commit, @dirty, @config, " +
            "@environment, @epochs, @monitor)", null, ("@id", runId), ("@name", name), ("@folder", folder), ("@now", now),
            ("@host", Environment.MachineName), ("@pid", Environment.ProcessId), ("@commit", git?.Commit),
            ("@dirty", git is { Dirty: var d } ? (d ? 1 : 0) : null), ("@config", config), ("@environment", environment),
            ("@epochs", epochs), ("@monitor", monitor));
    }

    /// <summary>The run continues in this process: running again, and what it logged after <paramref name="afterEpoch"/> goes (those
    /// epochs are trained again, as the run folder's CSV files are cut back). False when the store has no such run.</summary>
    public bool Resume(int afterEpoch, int epochs)
    {
        using var t = store.Begin(Connection);
        var found = Execute(Connection, "UPDATE runs SET status = 'running', ended = NULL, reason = NULL, heartbeat = @now, " +
            "host = @host, pid = @pid, epochs = @epochs WHERE id = @id", t, ("@now", Now()), ("@host", Environment.MachineName),
            ("@pid", Environment.ProcessId), ("@epochs", epochs), ("@id", runId));
        Execute(Connection, "DELETE FROM steps WHERE run_id = @id AND epoch > @e", t, ("@id", runId), ("@e", afterEpoch));
        Execute(Connection, "DELETE FROM epochs WHERE run_id = @id AND epoch > @e", t, ("@id", runId), ("@e", afterEpoch));
        t.Commit();
        return found == 1;
    }

    /// <summary>Writes a batch in one transaction and refreshes the heartbeat.</summary>
    public void Write(IReadOnlyList<StoreEntry> batch)
    {
        var c = Connection;
        using var t = store.Begin(c);
        // A batch's steps go in many rows per statement (one round trip per 100 rows to a server); the last value of a (key, step)
        // wins, as it would row by row, since one statement may not update a row twice.
        var steps = new Dictionary<(string Key, long Step), (int Epoch, double Value, double Wall)>();
        foreach (var entry in batch)
            switch (entry)
            {
                case StoreEntry.Step s:
                    foreach (var (k, v) in s.Values) steps[(k, s.Number)] = (s.OfEpoch, v, s.Wall);
                    break;
                case StoreEntry.Epoch e:
                    foreach (var (k, v) in e.Values)
                        Execute(c, "INSERT INTO epochs VALUES (@id, @key, @epoch, @value) ON CONFLICT (run_id, key, epoch) " +
                            "DO UPDATE SET value = excluded.value", t, ("@id", runId), ("@key", k),
                            ("@epoch", e.Number), ("@value", v));
                    if (e.Best)
                    {
                        Execute(c, "UPDATE runs SET best_epoch = @e WHERE id = @id", t, ("@e", e.Number), ("@id", runId));
                        Results(c, t, "best", e.Values);
                    }
                    break;
                case StoreEntry.Results r:
                    Results(c, t, r.Name, r.Values);
                    break;
                case StoreEntry.Params p:
                    foreach (var (k, v) in p.Values)
                        Execute(c, "INSERT INTO params VALUES (@id, @key, @value) ON CONFLICT (run_id, key) " +
                            "DO UPDATE SET value = excluded.value", t, ("@id", runId), ("@key", k),
                            ("@value", v));
                    if (p.Values.TryGetValue("task", out var task))
                        Execute(c, "UPDATE runs SET task = @task WHERE id = @id", t, ("@task", task), ("@id", runId));
                    break;
                case StoreEntry.Artifact a:
                    Execute(c, "INSERT INTO artifacts VALUES (@id, @name, @path) ON CONFLICT (run_id, name) " +
                        "DO UPDATE SET path = excluded.path", t, ("@id", runId), ("@name", a.Name),
                        ("@path", a.Path));
                    break;
                case StoreEntry.End end:
                    Execute(c, "UPDATE runs SET status = @status, ended = @now, reason = @reason WHERE id = @id", t,
                        ("@status", end.Status), ("@now", end.At ?? Now()), ("@reason", end.Reason), ("@id", runId));
                    break;
            }
        InsertSteps(c, t, steps);
        Execute(c, "UPDATE runs SET heartbeat = @now WHERE id = @id", t, ("@now", Now()), ("@id", runId));
        t.Commit();
    }

    private const int RowsPerInsert = 100;

    private void InsertSteps(DbConnection c, DbTransaction t,
        Dictionary<(string Key, long Step), (int Epoch, double Value, double Wall)> steps)
    {
        var rows = steps.ToList();
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += RowsPerInsert)
            {
                var n = Math.Min(RowsPerInsert, rows.Count - start);
                var insert = n == RowsPerInsert ? full ??= StepInsert(c, t, n) : StepInsert(c, t, n);
                for (var i = 0; i < n; i++)
                {
                    var ((key, step), (epoch, value, wall)) = rows[start + i];
                    var p = insert.Parameters;
                    (p[1 + 5 * i].Value, p[2 + 5 * i].Value, p[3 + 5 * i].Value) = (key, step, epoch);
                    (p[4 + 5 * i].Value, p[5 + 5 * i].Value) = (Finite(value), Finite(wall));
                }
                insert.ExecuteNonQuery();
                if (insert != full) insert.Dispose();
            }
        }
        finally { full?.Dispose(); }
    }

    private static object Finite(double v) => double.IsFinite(v) ? v : DBNull.Value;

    /// <summary>An n-row insert of steps, prepared: typed parameters @id, then key, step, epoch, value, wall per row.</summary>
    private DbCommand StepInsert(DbConnection c, DbTransaction t, int n)
    {
        var rows = string.Join(", ", Enumerable.Range(0, n).Select(i => $"(@id, @k{i}, @s{i}, @e{i}, @v{i}, @w{i})"));
        var insert = Command(c, $"INSERT INTO steps VALUES {rows} ON CONFLICT (run_id, key, step) DO UPDATE SET epoch = excluded.epoch, " +
            "value = excluded.value, wall = excluded.wall", t, ("@id", runId));
        for (var i = 0; i < n; i++)
        {
            Parameter(insert, $"@k{i}", "", DbType.String);
            Parameter(insert, $"@s{i}", 0L, DbType.Int64);
            Parameter(insert, $"@e{i}", 0, DbType.Int32);
            Parameter(insert, $"@v{i}", 0.0, DbType.Double);
            Parameter(insert, $"@w{i}", 0.0, DbType.Double);
        }
        insert.Prepare();
        return insert;
    }

    private void Results(DbConnection c, DbTransaction t, string name, IReadOnlyDictionary<string, double> values)
    {
        Execute(c, "DELETE FROM results WHERE run_id = @id AND name = @name", t, ("@id", runId), ("@name", name));
        foreach (var (k, v) in values)
            Execute(c, "INSERT INTO results VALUES (@id, @name, @key, @value)", t, ("@id", runId), ("@name", name), ("@key", k),
                ("@value", v));
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
