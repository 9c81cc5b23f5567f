using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;

namespace Podium.Tracking;

/// <summary>
/// The run store: every run's record (identity, status, config, hyperparameters, environment, per-step scalars, per-epoch
/// metrics, results, tags, artifacts) in one SQLite file (the embedded default) or one PostgreSQL database (for teams and
/// several machines), safe for several writing processes at once (writers wait for each other instead of failing). A run whose
/// process died is marked killed the next time the store is opened.
/// </summary>
public sealed class RunStore
{
    /// <summary>The schema this Podium writes; a store made by a newer one is refused rather than misread.</summary>
    public const int SchemaVersion = 1;
    /// <summary>How often a live run's writer refreshes its heartbeat.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);
    /// <summary>A running run on another machine whose heartbeat is older than this is taken as dead.</summary>
    public static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(90);

    private readonly StoreDialect _dialect;

    private RunStore(StoreDialect dialect) => _dialect = dialect;

    /// <summary>The store's file, or its PostgreSQL URL without the password.</summary>
    public string Location => _dialect.Location;

    /// <summary>Whether the store is a database server's (PostgreSQL) rather than a file.</summary>
    public static bool IsServer(string location) => PostgresDialect.Names(location);

    /// <summary>The store a setting names: tracking.store, else PODIUM_TRACKING_STORE, else runs/podium.db. A file (PATH or
    /// sqlite:PATH, relative paths from <paramref name="baseDirectory"/>, the working folder by default) or a PostgreSQL URL
    /// (postgresql://USER@HOST/DATABASE).</summary>
    public static string Locate(string? configured, string? baseDirectory = null)
    {
        var location = configured ?? Environment.GetEnvironmentVariable("PODIUM_TRACKING_STORE")
            ?? System.IO.Path.Combine("runs", "podium.db");
        if (IsServer(location)) return location;
        if (location.StartsWith("sqlite:", StringComparison.Ordinal)) location = location["sqlite:".Length..];
        if (location.Contains("://", StringComparison.Ordinal))
            throw new PodiumException($"tracking.store: {PostgresDialect.Redacted(location)}: a store is a SQLite file (PATH or " +
                "sqlite:PATH) or a PostgreSQL database (postgresql://USER@HOST/DATABASE)");
        return System.IO.Path.GetFullPath(location, baseDirectory ?? Environment.CurrentDirectory);
    }

    /// <summary>Opens the store a location names (creating its schema when missing), and marks the runs whose process has died as
    /// killed.</summary>
    public static RunStore Open(string location)
    {
        var store = new RunStore(IsServer(location) ? PostgresDialect.FromUrl(location) : new SqliteDialect(location));
        try
        {
            using var c = store.Connect();
            store.Migrate(c);
            store.MarkDead(c);
        }
        catch (Exception e) when (IsStoreError(e))
        {
            throw new PodiumException($"{store.Location}: not a usable run store ({Describe(e)}); set tracking.store to another " +
                "store, or tracking.enabled: false to train without one");
        }
        return store;
    }

    /// <summary>What a failing store throws: the database's errors, and the network's beneath them.</summary>
    public static bool IsStoreError(Exception e) => e is DbException or IOException or TimeoutException
        or System.Net.Sockets.SocketException or InvalidOperationException { InnerException: not null };

    /// <summary>An error in one line: the database's message and what lies beneath it (a refused connection, a timeout).</summary>
    public static string Describe(Exception e)
    {
        var message = e.Message.TrimEnd('.');
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (!message.Contains(inner.Message.TrimEnd('.'), StringComparison.Ordinal)) message += ": " + inner.Message.TrimEnd('.');
        return message.ReplaceLineEndings(" ");
    }

    internal DbConnection Connect() => _dialect.Open();

    internal StoreDialect Dialect => _dialect;

    /// <summary>Work in one writing transaction on a connection of its own, committed when the work returns.</summary>
    internal T InTransaction<T>(Func<DbConnection, DbTransaction, T> work)
    {
        using var c = Connect();
        using var t = Begin(c);
        var result = work(c, t);
        t.Commit();
        return result;
    }

    internal void InTransaction(Action<DbConnection, DbTransaction> work) => InTransaction((c, t) =>
    {
        work(c, t);
        return 0;
    });

    /// <summary>A writing transaction: its locks are taken at once, so concurrent writers queue instead of failing.</summary>
    internal DbTransaction Begin(DbConnection c) => _dialect.Begin(c);

    private void Migrate(DbConnection c)
    {
        // WAL lets readers (runs list, the dashboard) read while runs write.
        _dialect.Prepare(c);
        using var t = Begin(c);
        _dialect.LockSchema(c, t);
        Execute(c, "CREATE TABLE IF NOT EXISTS store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)", t);
        var version = Scalar(c, "SELECT value FROM store_info WHERE key = 'schema'", t);
        if (version is null)
        {
            Execute(c, Schema.Replace("{keyed}", _dialect.KeyedTable, StringComparison.Ordinal), t);
            Execute(c, $"INSERT INTO store_info VALUES ('schema', '{SchemaVersion}')", t);
        }
        else if (int.Parse(version, CultureInfo.InvariantCulture) > SchemaVersion)
            throw new PodiumException($"{Location}: the store's schema {version} is newer than this Podium's {SchemaVersion}; use a " +
                "newer Podium, another tracking.store, or tracking.enabled: false");
        t.Commit();
    }

    // Types both databases know (SQLite reads DOUBLE PRECISION as REAL and BIGINT as INTEGER).
    private const string Schema = """
        CREATE TABLE runs (id TEXT PRIMARY KEY, name TEXT NOT NULL, folder TEXT NOT NULL, task TEXT, status TEXT NOT NULL,
            started DOUBLE PRECISION NOT NULL, ended DOUBLE PRECISION, heartbeat DOUBLE PRECISION NOT NULL, host TEXT NOT NULL,
            pid INTEGER NOT NULL, git_commit TEXT, git_dirty INTEGER, config TEXT, environment TEXT, epochs INTEGER, monitor TEXT,
            best_epoch INTEGER, reason TEXT);
        CREATE INDEX runs_started ON runs (started);
        CREATE INDEX runs_folder ON runs (folder);
        CREATE TABLE params (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key)){keyed};
        CREATE TABLE tags (run_id TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (run_id, tag)){keyed};
        CREATE TABLE steps (run_id TEXT NOT NULL, key TEXT NOT NULL, step BIGINT NOT NULL, epoch INTEGER NOT NULL,
            value DOUBLE PRECISION, wall DOUBLE PRECISION, PRIMARY KEY (run_id, key, step)){keyed};
        CREATE TABLE epochs (run_id TEXT NOT NULL, key TEXT NOT NULL, epoch INTEGER NOT NULL, value DOUBLE PRECISION,
            PRIMARY KEY (run_id, key, epoch)){keyed};
        CREATE TABLE results (run_id TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL, value DOUBLE PRECISION,
            PRIMARY KEY (run_id, name, key)){keyed};
        CREATE TABLE artifacts (run_id TEXT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (run_id, name)){keyed};
        """;

    /// <summary>Running runs whose process is gone (same host: the pid is not alive; elsewhere: no heartbeat for
    /// <see cref="DeadAfter"/>) become killed; what they logged up to their last flush stays.</summary>
    private void MarkDead(DbConnection c)
    {
        var host = Environment.MachineName;
        var now = Now();
        var dead = new List<string>();
        using (var q = Command(c, "SELECT id, host, pid, heartbeat FROM runs WHERE status = 'running'"))
        using (var r = q.ExecuteReader())
            while (r.Read())
            {
                var (id, runHost, pid, heartbeat) = (r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3));
                var gone = runHost == host ? !Alive(pid, heartbeat) : now - heartbeat > DeadAfter.TotalSeconds;
                if (gone) dead.Add(id);
            }
        foreach (var id in dead)
            Execute(c, "UPDATE runs SET status = 'killed', ended = heartbeat, reason = 'its process died (no finish recorded)' " +
                "WHERE id = @id AND status = 'running'", null, ("@id", id));
    }

    // A pid is reused after its process dies: a live process that started after the run's last heartbeat is another one.
    private static bool Alive(int pid, double heartbeat)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited && p.StartTime.ToUniversalTime() <= DateTime.UnixEpoch.AddSeconds(heartbeat).AddSeconds(1);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>The runs a filter selects, newest first unless it sorts by a figure.</summary>
    public IReadOnlyList<RunRecord> List(RunFilter filter)
    {
        var conditions = filter.Conditions();
        using var c = Connect();
        var sql = "1 = 1";
        var parameters = new List<(string, object?)>();
        if (filter.Name is { } name)
        {
            var (condition, pattern) = _dialect.Glob("name", "@name", name);
            sql += " AND " + condition;
            parameters.Add(("@name", pattern));
        }
        if (filter.Status is { } status)
        {
            sql += " AND status = @status";
            parameters.Add(("@status", status));
        }
        if (filter.Since is { } since)
        {
            sql += " AND started >= @since";
            parameters.Add(("@since", (since.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds));
        }
        for (var i = 0; i < filter.Params.Count; i++)
        {
            var (param, value) = filter.Params[i].Split('=', 2) is [var k, var v] && k.Length > 0 ? (k.Trim(), v.Trim())
                : throw new PodiumException($"--param {filter.Params[i]}: expected KEY=VALUE, e.g. train.optimizer.lr=0.001");
            sql += $" AND id IN (SELECT run_id FROM params WHERE key = @pk{i} AND value = @pv{i})";
            parameters.AddRange([($"@pk{i}", param), ($"@pv{i}", value)]);
        }
        if (filter.Tag is { } tag)
        {
            sql += " AND id IN (SELECT run_id FROM tags WHERE tag = @tag)";
            parameters.Add(("@tag", tag));
        }
        var runs = Read(c, sql, [.. parameters]).Where(r => conditions.All(f => f(r)));
        if (filter.Sort is { } key)
        {
            // Runs without the figure (failed before an epoch ended, another task) come last, not out.
            var known = runs.OrderBy(r => r.Best.ContainsKey(key) ? 0 : 1);
            runs = filter.Ascending ? known.ThenBy(r => r.Best.GetValueOrDefault(key))
                : known.ThenByDescending(r => r.Best.GetValueOrDefault(key));
        }
        return [.. filter.Limit is { } limit ? runs.Take(limit) : runs];
    }

    /// <summary>The run whose id starts with <paramref name="prefix"/> (one line when none or several do).</summary>
    public RunRecord Find(string prefix)
    {
        using var c = Connect();
        var found = Read(c, "id LIKE @p ESCAPE '!'", ("@p", Like(prefix) + "%"));
        return found.Count switch
        {
            1 => found[0],
            0 => throw new PodiumException($"{Location}: no run with id {prefix} (podium runs lists them)"),
            _ => throw new PodiumException($"{Location}: id {prefix} is ambiguous ({string.Join(", ", found.Take(5).Select(r => r.Id))}" +
                $"{(found.Count > 5 ? ", ..." : "")}); give more of it"),
        };
    }

    /// <summary>Everything about one run.</summary>
    public RunDetails Details(string prefix)
    {
        var run = Find(prefix);
        using var c = Connect();
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using (var q = Command(c, "SELECT key, value FROM params WHERE run_id = @id", null, ("@id", run.Id)))
        using (var r = q.ExecuteReader())
            while (r.Read()) parameters[r.GetString(0)] = r.GetString(1);
        var epochs = new SortedDictionary<int, Dictionary<string, double>>();
        using (var q = Command(c, "SELECT epoch, key, value FROM epochs WHERE run_id = @id", null, ("@id", run.Id)))
        using (var r = q.ExecuteReader())
            while (r.Read())
            {
                if (!epochs.TryGetValue(r.GetInt32(0), out var values)) epochs[r.GetInt32(0)] = values = [];
                values[r.GetString(1)] = Real(r, 2);
            }
        var results = new SortedDictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        using (var q = Command(c, "SELECT name, key, value FROM results WHERE run_id = @id", null, ("@id", run.Id)))
        using (var r = q.ExecuteReader())
            while (r.Read())
            {
                if (!results.TryGetValue(r.GetString(0), out var values)) results[r.GetString(0)] = values = [];
                values[r.GetString(1)] = Real(r, 2);
            }
        var artifacts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using (var q = Command(c, "SELECT name, path FROM artifacts WHERE run_id = @id", null, ("@id", run.Id)))
        using (var r = q.ExecuteReader())
            while (r.Read()) artifacts[r.GetString(0)] = r.GetString(1);
        var steps = long.Parse(Scalar(c, "SELECT COUNT(DISTINCT step) FROM steps WHERE run_id = @id", null, ("@id", run.Id)) ?? "0",
            CultureInfo.InvariantCulture);
        var config = Scalar(c, "SELECT config FROM runs WHERE id = @id", null, ("@id", run.Id));
        var environment = Scalar(c, "SELECT environment FROM runs WHERE id = @id", null, ("@id", run.Id));
        return new RunDetails(run, parameters, [.. epochs.Select(e => (e.Key, (IReadOnlyDictionary<string, double>)e.Value))],
            results.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, double>)p.Value), artifacts, steps, config, environment);
    }

    /// <summary>A run's logged values of one step key (loss, lr, loss_PART, data_wait_ms, step_ms), in step order; those after
    /// step <paramref name="after"/> only, when given (a live view asks for what is new).</summary>
    public IReadOnlyList<(long Step, double Value)> Steps(string runId, string key, long after = long.MinValue)
    {
        using var c = Connect();
        using var q = Command(c, "SELECT step, value FROM steps WHERE run_id = @id AND key = @key AND step > @after ORDER BY step", null,
            ("@id", runId), ("@key", key), ("@after", after));
        using var r = q.ExecuteReader();
        var values = new List<(long, double)>();
        while (r.Read()) values.Add((r.GetInt64(0), Real(r, 1)));
        return values;
    }

    /// <summary>The step keys a run logged (loss, lr, loss_PART, ...).</summary>
    public IReadOnlyList<string> StepKeys(string runId) => Strings("SELECT DISTINCT key FROM steps WHERE run_id = @id ORDER BY key",
        ("@id", runId));

    /// <summary>Every hyperparameter key any run has.</summary>
    public IReadOnlyList<string> ParamKeys() => Strings("SELECT DISTINCT key FROM params ORDER BY key");

    /// <summary>Chosen hyperparameters of every run that has them: run id → key → value.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> Params(IReadOnlyList<string> keys)
    {
        var values = new Dictionary<string, Dictionary<string, string>>();
        if (keys.Count == 0) return values;
        using var c = Connect();
        var names = keys.Select((_, i) => $"@k{i}").ToList();
        using var q = Command(c, $"SELECT run_id, key, value FROM params WHERE key IN ({string.Join(", ", names)})", null,
            [.. keys.Select((k, i) => (names[i], (object?)k))]);
        using var r = q.ExecuteReader();
        while (r.Read())
        {
            if (!values.TryGetValue(r.GetString(0), out var run)) values[r.GetString(0)] = run = [];
            run[r.GetString(1)] = r.GetString(2);
        }
        return values;
    }

    private List<string> Strings(string sql, params (string, object?)[] parameters)
    {
        using var c = Connect();
        using var q = Command(c, sql, null, parameters);
        using var r = q.ExecuteReader();
        var values = new List<string>();
        while (r.Read()) values.Add(r.GetString(0));
        return values;
    }

    /// <summary>A run's values of one per-epoch figure (train_loss, val_accuracy, ...), in epoch order.</summary>
    public IReadOnlyList<(int Epoch, double Value)> EpochValues(string runId, string key)
    {
        using var c = Connect();
        using var q = Command(c, "SELECT epoch, value FROM epochs WHERE run_id = @id AND key = @key ORDER BY epoch", null,
            ("@id", runId), ("@key", key));
        using var r = q.ExecuteReader();
        var values = new List<(int, double)>();
        while (r.Read()) values.Add((r.GetInt32(0), Real(r, 1)));
        return values;
    }

    /// <summary>Adds and removes tags of a run.</summary>
    public void Tag(string runId, IEnumerable<string> add, IEnumerable<string> remove) => InTransaction((c, t) =>
    {
        foreach (var tag in add) Execute(c, "INSERT INTO tags VALUES (@id, @tag) ON CONFLICT DO NOTHING", t, ("@id", runId), ("@tag", tag));
        foreach (var tag in remove) Execute(c, "DELETE FROM tags WHERE run_id = @id AND tag = @tag", t, ("@id", runId), ("@tag", tag));
    });

    /// <summary>Removes a run's record from the store (its folder stays).</summary>
    public void Delete(string runId) => InTransaction((c, t) =>
    {
        foreach (var table in new[] { "params", "tags", "steps", "epochs", "results", "artifacts" })
            Execute(c, $"DELETE FROM {table} WHERE run_id = @id", t, ("@id", runId));
        Execute(c, "DELETE FROM runs WHERE id = @id", t, ("@id", runId));
    });

    /// <summary>The run recorded for a folder, newest first (imports and resumes look here).</summary>
    public RunRecord? ForFolder(string folder)
    {
        using var c = Connect();
        return Read(c, "folder = @f", ("@f", System.IO.Path.GetFullPath(folder))).FirstOrDefault();
    }

    private const string RunColumns = "id, name, folder, task, status, started, ended, host, git_commit, git_dirty, epochs, monitor, " +
        "best_epoch, reason";

    /// <summary>The runs a WHERE clause selects (newest first), with their tags and best figures: three queries, however many
    /// runs.</summary>
    private static List<RunRecord> Read(DbConnection c, string where, params (string, object?)[] parameters)
    {
        var rows = new List<RunRecord>();
        using (var q = Command(c, $"SELECT {RunColumns} FROM runs WHERE {where} ORDER BY started DESC", null, parameters))
        using (var r = q.ExecuteReader())
            while (r.Read())
            {
                string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
                int? Int(int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
                rows.Add(new RunRecord(r.GetString(0), r.GetString(1), r.GetString(2), Text(3), r.GetString(4), Time(r.GetDouble(5)),
                    r.IsDBNull(6) ? null : Time(r.GetDouble(6)), r.GetString(7), Text(8), Int(9) is { } d ? d != 0 : null, Int(10),
                    Text(11), Int(12), Text(13), [], new Dictionary<string, double>()));
            }
        if (rows.Count == 0) return rows;
        var tags = new Dictionary<string, List<string>>();
        using (var q = Command(c, $"SELECT run_id, tag FROM tags WHERE run_id IN (SELECT id FROM runs WHERE {where}) ORDER BY tag", null,
            parameters))
        using (var r = q.ExecuteReader())
            while (r.Read())
            {
                if (!tags.TryGetValue(r.GetString(0), out var list)) tags[r.GetString(0)] = list = [];
                list.Add(r.GetString(1));
            }
        var best = new Dictionary<string, Dictionary<string, double>>();
        using (var q = Command(c, "SELECT run_id, key, value FROM results WHERE name = 'best' AND run_id IN (SELECT id FROM runs " +
            $"WHERE {where})", null, parameters))
        using (var r = q.ExecuteReader())
            while (r.Read())
            {
                if (!best.TryGetValue(r.GetString(0), out var values)) best[r.GetString(0)] = values = [];
                values[r.GetString(1)] = Real(r, 2);
            }
        return [.. rows.Select(r => r with
        {
            Tags = tags.GetValueOrDefault(r.Id) ?? [],
            Best = best.GetValueOrDefault(r.Id) ?? new Dictionary<string, double>(),
        })];
    }

    private static string Like(string text) => text.Replace("!", "!!").Replace("%", "!%").Replace("_", "!_");

    private static DateTime Time(double seconds) => DateTime.UnixEpoch.AddSeconds(seconds);

    /// <summary>Seconds since 1970 (UTC), the store's clock.</summary>
    public static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;

    internal static DbCommand Command(DbConnection c, string sql, DbTransaction? t = null,
        params (string Name, object? Value)[] parameters)
    {
        var command = c.CreateCommand();
        command.CommandText = sql;
        command.Transaction = t;
        foreach (var (name, value) in parameters) Parameter(command, name, Db(value));
        return command;
    }

    /// <summary>A parameter added to a command; a typed one (for prepared statements) keeps its type when its value is NULL.</summary>
    internal static DbParameter Parameter(DbCommand command, string name, object value, DbType? type = null)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        if (type is { } t) p.DbType = t;
        command.Parameters.Add(p);
        return p;
    }

    internal static int Execute(DbConnection c, string sql, DbTransaction? t = null, params (string, object?)[] parameters)
    {
        using var command = Command(c, sql, t, parameters);
        return command.ExecuteNonQuery();
    }

    internal static string? Scalar(DbConnection c, string sql, DbTransaction? t = null, params (string, object?)[] parameters)
    {
        using var command = Command(c, sql, t, parameters);
        return command.ExecuteScalar() is { } v and not DBNull ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
    }

    // SQLite keeps no NaN (it would store NULL anyway): both stores keep NULL, read back as NaN.
    private static object Db(object? value) => value switch
    {
        null => DBNull.Value,
        double d when !double.IsFinite(d) => DBNull.Value,
        _ => value,
    };

    internal static double Real(DbDataReader r, int i) => r.IsDBNull(i) ? double.NaN : r.GetDouble(i);
}
