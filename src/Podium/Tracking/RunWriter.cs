using Microsoft.Data.Sqlite;
using static Podium.Tracking.RunStore;

namespace Podium.Tracking;

/// <summary>
/// One run's writes into a <see cref="RunStore"/>: its row, then batches of steps, epochs and results, each batch one
/// transaction (so a kill leaves whole batches), each refreshing the run's heartbeat.
/// </summary>
internal sealed class RunWriter(RunStore store, string runId) : IDisposable
{
    private SqliteConnection? _connection;

    public string RunId => runId;

    private SqliteConnection Connection => _connection ??= store.Connect();

    /// <summary>A new run row, running, owned by this process.</summary>
    public void Create(string name, string folder, int epochs, string monitor, string? config, string? environment,
        (string Commit, bool Dirty)? git, double? started = null)
    {
        var now = started ?? Now();
        Execute(Connection, "INSERT INTO runs (id, name, folder, status, started, heartbeat, host, pid, git_commit, git_dirty, config, " +
            "environment, epochs, monitor) VALUES ($id, $name, $folder, 'running', $now, $now, $host, $pid, $commit, $dirty, $config, " +
            "$environment, $epochs, $monitor)", null, ("$id", runId), ("$name", name), ("$folder", folder), ("$now", now),
            ("$host", Environment.MachineName), ("$pid", Environment.ProcessId), ("$commit", git?.Commit),
            ("$dirty", git is { Dirty: var d } ? (d ? 1 : 0) : null), ("$config", config), ("$environment", environment),
            ("$epochs", epochs), ("$monitor", monitor));
    }

    /// <summary>The run continues in this process: running again, and what it logged after <paramref name="afterEpoch"/> goes (those
    /// epochs are trained again, as the run folder's CSV files are cut back). False when the store has no such run.</summary>
    public bool Resume(int afterEpoch, int epochs)
    {
        using var t = Connection.BeginTransaction(deferred: false);
        var found = Execute(Connection, "UPDATE runs SET status = 'running', ended = NULL, reason = NULL, heartbeat = $now, " +
            "host = $host, pid = $pid, epochs = $epochs WHERE id = $id", t, ("$now", Now()), ("$host", Environment.MachineName),
            ("$pid", Environment.ProcessId), ("$epochs", epochs), ("$id", runId));
        Execute(Connection, "DELETE FROM steps WHERE run_id = $id AND epoch > $e", t, ("$id", runId), ("$e", afterEpoch));
        Execute(Connection, "DELETE FROM epochs WHERE run_id = $id AND epoch > $e", t, ("$id", runId), ("$e", afterEpoch));
        t.Commit();
        return found == 1;
    }

    /// <summary>Writes a batch in one transaction and refreshes the heartbeat.</summary>
    public void Write(IReadOnlyList<StoreEntry> batch)
    {
        var c = Connection;
        using var t = c.BeginTransaction(deferred: false);
        using var step = Command(c, "INSERT OR REPLACE INTO steps VALUES ($id, $key, $step, $epoch, $value, $wall)", t);
        var columns = step.Parameters;
        var (key, number, epoch, value, wall) = (columns.AddWithValue("$key", ""), columns.AddWithValue("$step", 0L),
            columns.AddWithValue("$epoch", 0), columns.AddWithValue("$value", 0.0), columns.AddWithValue("$wall", 0.0));
        step.Parameters.AddWithValue("$id", runId);
        step.Prepare();
        foreach (var entry in batch)
            switch (entry)
            {
                case StoreEntry.Step s:
                    (number.Value, epoch.Value, wall.Value) = (s.Number, s.OfEpoch, double.IsFinite(s.Wall) ? s.Wall : DBNull.Value);
                    foreach (var (k, v) in s.Values)
                    {
                        (key.Value, value.Value) = (k, double.IsFinite(v) ? v : DBNull.Value);
                        step.ExecuteNonQuery();
                    }
                    break;
                case StoreEntry.Epoch e:
                    foreach (var (k, v) in e.Values)
                        Execute(c, "INSERT OR REPLACE INTO epochs VALUES ($id, $key, $epoch, $value)", t, ("$id", runId), ("$key", k),
                            ("$epoch", e.Number), ("$value", v));
                    if (e.Best)
                    {
                        Execute(c, "UPDATE runs SET best_epoch = $e WHERE id = $id", t, ("$e", e.Number), ("$id", runId));
                        Results(c, t, "best", e.Values);
                    }
                    break;
                case StoreEntry.Results r:
                    Results(c, t, r.Name, r.Values);
                    break;
                case StoreEntry.Params p:
                    foreach (var (k, v) in p.Values)
                        Execute(c, "INSERT OR REPLACE INTO params VALUES ($id, $key, $value)", t, ("$id", runId), ("$key", k),
                            ("$value", v));
                    if (p.Values.TryGetValue("task", out var task))
                        Execute(c, "UPDATE runs SET task = $task WHERE id = $id", t, ("$task", task), ("$id", runId));
                    break;
                case StoreEntry.Artifact a:
                    Execute(c, "INSERT OR REPLACE INTO artifacts VALUES ($id, $name, $path)", t, ("$id", runId), ("$name", a.Name),
                        ("$path", a.Path));
                    break;
                case StoreEntry.End end:
                    Execute(c, "UPDATE runs SET status = $status, ended = $now, reason = $reason WHERE id = $id", t,
                        ("$status", end.Status), ("$now", end.At ?? Now()), ("$reason", end.Reason), ("$id", runId));
                    break;
            }
        Execute(c, "UPDATE runs SET heartbeat = $now WHERE id = $id", t, ("$now", Now()), ("$id", runId));
        t.Commit();
    }

    private void Results(SqliteConnection c, SqliteTransaction t, string name, IReadOnlyDictionary<string, double> values)
    {
        Execute(c, "DELETE FROM results WHERE run_id = $id AND name = $name", t, ("$id", runId), ("$name", name));
        foreach (var (k, v) in values)
            Execute(c, "INSERT INTO results VALUES ($id, $name, $key, $value)", t, ("$id", runId), ("$name", name), ("$key", k),
                ("$value", v));
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
