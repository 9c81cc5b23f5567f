using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using static Podium.Tracking.RunStore;

namespace Podium.Tracking;

/// <summary>
/// Hyperparameter studies in the run store's database, in Optuna's own relational schema (Optuna 3.1, alembic revision
/// v3.0.0.d, as Debian's python3-optuna makes it): <c>optuna.load_study(study_name=..., storage=...)</c> opens a Podium
/// study, and its plots and dashboard work on it. Trial numbers are given out under a lock on the study's row, so workers on
/// many machines never share one.
/// </summary>
public sealed class StudyStore
{
    public const string OptunaVersion = "3.1.0";
    private const string AlembicRevision = "v3.0.0.d";

    private static readonly Dictionary<string, string[]> Enums = new()
    {
        ["studydirection"] = ["NOT_SET", "MINIMIZE", "MAXIMIZE"],
        ["trialstate"] = ["RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"],
        ["trialvaluetype"] = ["FINITE", "INF_POS", "INF_NEG"],
        ["trialintermediatevaluetype"] = ["FINITE", "INF_POS", "INF_NEG", "NAN"],
    };

    private readonly RunStore _store;

    private StudyStore(RunStore store) => _store = store;

    /// <summary>The store's location (for messages).</summary>
    public string Location => _store.Location;

    /// <summary>The studies of a run store that has Optuna's tables, or null (a reader never creates them).</summary>
    public static StudyStore? OpenExisting(RunStore store)
    {
        using var c = store.Connect();
        return Scalar(c, store.Dialect.TableExists, null, ("@name", "alembic_version")) is null ? null : Open(store);
    }

    /// <summary>Every study's id and name, by name.</summary>
    public IReadOnlyList<(int Id, string Name)> List()
    {
        using var c = _store.Connect();
        using var q = Command(c, "SELECT study_id, study_name FROM studies ORDER BY study_name");
        using var r = q.ExecuteReader();
        var studies = new List<(int, string)>();
        while (r.Read()) studies.Add((r.GetInt32(0), r.GetString(1)));
        return studies;
    }

    /// <summary>The studies of a run store, creating Optuna's tables when the database has none; a database whose Optuna tables
    /// are of another revision is one line.</summary>
    public static StudyStore Open(RunStore store)
    {
        var studies = new StudyStore(store);
        try
        {
            using var c = store.Connect();
            using var t = store.Begin(c);
            store.Dialect.LockSchema(c, t);
            if (Scalar(c, store.Dialect.TableExists, t, ("@name", "alembic_version")) is null)
                foreach (var statement in studies.Schema()) Execute(c, statement, t);
            var revision = Scalar(c, "SELECT version_num FROM alembic_version", t);
            if (revision != AlembicRevision)
                throw new PodiumException($"{store.Location}: its Optuna tables are at revision {revision}, Podium writes " +
                    $"{AlembicRevision} (Optuna {OptunaVersion}); use another store for studies");
            t.Commit();
        }
        catch (Exception e) when (IsStoreError(e))
        {
            throw new PodiumException($"{store.Location}: cannot keep studies here ({Describe(e)})");
        }
        return studies;
    }

    private IEnumerable<string> Schema()
    {
        var d = _store.Dialect;
        foreach (var type in d.EnumTypes(Enums)) yield return type;
        yield return $"""
            CREATE TABLE studies (study_id {d.Serial} NOT NULL, study_name VARCHAR(512) NOT NULL, PRIMARY KEY (study_id))
            """;
        yield return "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)";
        yield return """
            CREATE TABLE version_info (version_info_id INTEGER NOT NULL, schema_version INTEGER, library_version VARCHAR(256),
                PRIMARY KEY (version_info_id), CHECK (version_info_id=1))
            """;
        yield return $"""
            CREATE TABLE study_directions (study_direction_id {d.Serial} NOT NULL, direction {EnumType("studydirection")} NOT NULL,
                study_id INTEGER NOT NULL, objective INTEGER NOT NULL, PRIMARY KEY (study_direction_id),
                UNIQUE (study_id, objective), FOREIGN KEY(study_id) REFERENCES studies (study_id))
            """;
        yield return $"""
            CREATE TABLE trials (trial_id {d.Serial} NOT NULL, number INTEGER, study_id INTEGER, state {EnumType("trialstate")} NOT NULL,
                datetime_start {d.Timestamp}, datetime_complete {d.Timestamp}, PRIMARY KEY (trial_id),
                FOREIGN KEY(study_id) REFERENCES studies (study_id))
            """;
        // After the tables they refer to (PostgreSQL checks foreign keys as tables are made).
        foreach (var owner in new[] { "study", "trial" })
            foreach (var kind in new[] { "user", "system" })
                yield return $"""
                    CREATE TABLE {owner}_{kind}_attributes ({owner}_{kind}_attribute_id {d.Serial} NOT NULL, {owner}_id INTEGER,
                        "key" VARCHAR(512), value_json TEXT, PRIMARY KEY ({owner}_{kind}_attribute_id), UNIQUE ({owner}_id, "key"),
                        FOREIGN KEY({owner}_id) REFERENCES {(owner == "study" ? "studies" : "trials")} ({owner}_id))
                    """;
        yield return $"""
            CREATE TABLE trial_params (param_id {d.Serial} NOT NULL, trial_id INTEGER, param_name VARCHAR(512), param_value {d.Float},
                distribution_json TEXT, PRIMARY KEY (param_id), UNIQUE (trial_id, param_name),
                FOREIGN KEY(trial_id) REFERENCES trials (trial_id))
            """;
        yield return $"""
            CREATE TABLE trial_values (trial_value_id {d.Serial} NOT NULL, trial_id INTEGER NOT NULL, objective INTEGER NOT NULL,
                value {d.Float}, value_type {EnumType("trialvaluetype")} NOT NULL, PRIMARY KEY (trial_value_id),
                UNIQUE (trial_id, objective), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))
            """;
        yield return $"""
            CREATE TABLE trial_intermediate_values (trial_intermediate_value_id {d.Serial} NOT NULL, trial_id INTEGER NOT NULL,
                step INTEGER NOT NULL, intermediate_value {d.Float},
                intermediate_value_type {EnumType("trialintermediatevaluetype")} NOT NULL, PRIMARY KEY (trial_intermediate_value_id),
                UNIQUE (trial_id, step), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))
            """;
        yield return $"""
            CREATE TABLE trial_heartbeats (trial_heartbeat_id {d.Serial} NOT NULL, trial_id INTEGER NOT NULL,
                heartbeat {d.Timestamp} NOT NULL, PRIMARY KEY (trial_heartbeat_id), UNIQUE (trial_id),
                FOREIGN KEY(trial_id) REFERENCES trials (trial_id))
            """;
        yield return """
            CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))
            """;
        yield return $"INSERT INTO alembic_version (version_num) VALUES ('{AlembicRevision}')";
        yield return $"INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, 12, '{OptunaVersion}')";
    }

    /// <summary>The column type of one of Optuna's enums here: PostgreSQL's enum type, SQLite's VARCHAR of its longest value.</summary>
    private string EnumType(string name) => _store.Dialect.EnumType(name, Enums[name].Max(v => v.Length));

    private string Cast(string parameter, string enumName) => $"CAST({parameter} AS {EnumType(enumName)})";

    /// <summary>The id of the study of this name, or null.</summary>
    public int? Find(string name)
    {
        using var c = _store.Connect();
        return Scalar(c, "SELECT study_id FROM studies WHERE study_name = @name", null, ("@name", name)) is { } id
            ? int.Parse(id, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Whether the study maximises its objective.</summary>
    public bool Maximizes(int study)
    {
        using var c = _store.Connect();
        return Scalar(c, "SELECT CAST(direction AS VARCHAR(8)) FROM study_directions WHERE study_id = @s AND objective = 0", null,
            ("@s", study)) == "MAXIMIZE";
    }

    /// <summary>Each parameter's distribution as its trials recorded it (Optuna's JSON), in the order parameters first appear.</summary>
    public IReadOnlyList<(string Name, string Distribution)> Distributions(int study)
    {
        using var c = _store.Connect();
        using var q = Command(c, "SELECT p.param_name, p.distribution_json FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id " +
            "WHERE t.study_id = @s ORDER BY t.number, p.param_id", null, ("@s", study));
        using var r = q.ExecuteReader();
        var seen = new List<(string, string)>();
        while (r.Read())
            if (!seen.Any(x => x.Item1 == r.GetString(0))) seen.Add((r.GetString(0), r.GetString(1)));
        return seen;
    }

    /// <summary>The study of this name, created when missing. An existing study must have the same direction and search space
    /// (<paramref name="space"/>, its fingerprint); otherwise one line says so.</summary>
    public int CreateOrLoad(string name, bool maximize, string space) => _store.InTransaction((c, t) =>
    {
        // Workers starting together would otherwise both find no study and both insert one.
        _store.Dialect.LockSchema(c, t);
        var id = Scalar(c, $"SELECT study_id FROM studies WHERE study_name = @name{_store.Dialect.ForUpdate}", t, ("@name", name));
        var direction = maximize ? "MAXIMIZE" : "MINIMIZE";
        if (id is null)
        {
            id = Scalar(c, "INSERT INTO studies (study_name) VALUES (@name) RETURNING study_id", t, ("@name", name))!;
            Execute(c, $"INSERT INTO study_directions (direction, study_id, objective) VALUES ({Cast("@d", "studydirection")}, @s, 0)",
                t, ("@d", direction), ("@s", int.Parse(id, CultureInfo.InvariantCulture)));
            Execute(c, "INSERT INTO study_system_attributes (study_id, \"key\", value_json) VALUES (@s, 'podium:space', @v)", t,
                ("@s", int.Parse(id, CultureInfo.InvariantCulture)), ("@v", JsonValue.Create(space).ToJsonString()));
        }
        else
        {
            var study = int.Parse(id, CultureInfo.InvariantCulture);
            var stored = Scalar(c, "SELECT CAST(direction AS VARCHAR(8)) FROM study_directions WHERE study_id = @s " +
                "AND objective = 0", t, ("@s", study));
            if (stored != direction)
                throw new PodiumException($"{Location}: study {name} exists and {stored?.ToLowerInvariant()}s its objective; this one " +
                    $"would {direction.ToLowerInvariant()} it (choose another --study name)");
            var known = Scalar(c, "SELECT value_json FROM study_system_attributes WHERE study_id = @s AND \"key\" = 'podium:space'", t,
                ("@s", study));
            if (known is not null && JsonNode.Parse(known)?.GetValue<string>() != space)
                throw new PodiumException($"{Location}: study {name} exists with another search space; give the space it was " +
                    "started with, or another --study name");
        }
        return int.Parse(id, CultureInfo.InvariantCulture);
    });

    /// <summary>
    /// The next trial to run, under the study's row lock. First, RUNNING trials whose heartbeat is older than the policy's grace
    /// period are marked FAIL (their worker died) and, within the retry limit, queued again as WAITING trials with the same
    /// parameters (Optuna's RetryFailedTrialCallback attributes: failed_trial, retry_history). A WAITING trial is taken first;
    /// otherwise, unless <paramref name="budget"/> trials (all but failed ones) exist, a new trial gets the next number and the
    /// parameters <paramref name="draw"/> chooses from the trials so far (null: nothing left to try). Sampling under the lock
    /// lets every worker see the others' running trials with their parameters.
    /// </summary>
    public StudyTrial? Start(int study, int? budget = null, TrialDraw? draw = null, StalePolicy? stale = null) =>
        _store.InTransaction<StudyTrial?>((c, t) =>
        {
            Scalar(c, $"SELECT study_id FROM studies WHERE study_id = @s{_store.Dialect.ForUpdate}", t, ("@s", study));
            if (stale is not null) FailStale(c, t, study, stale);
            var waiting = Scalar(c, "SELECT MIN(number) FROM trials WHERE study_id = @s AND state = 'WAITING'", t, ("@s", study));
            if (waiting is not null)
            {
                var number = int.Parse(waiting, CultureInfo.InvariantCulture);
                var queued = Trials(c, t, study).First(x => x.Number == number);
                Execute(c, $"UPDATE trials SET state = {Cast("@state", "trialstate")}, datetime_start = @now WHERE trial_id = @t", t,
                    ("@state", "RUNNING"), ("@now", _store.Dialect.Time(DateTime.Now)), ("@t", queued.Id));
                Beat(c, t, queued.Id);
                return queued with { State = "RUNNING", Started = DateTime.Now };
            }
            var count = Count(c, t, "SELECT COUNT(*) FROM trials WHERE study_id = @s", study);
            if (budget is { } b && Count(c, t, "SELECT COUNT(*) FROM trials WHERE study_id = @s AND state <> 'FAIL'", study) >= b)
                return null;
            var values = draw?.Invoke(Trials(c, t, study), count);
            if (draw is not null && values is null) return null;
            var id = Insert(c, t, study, count, "RUNNING", values ?? []);
            Beat(c, t, id);
            return new StudyTrial(id, count, "RUNNING", null, (values ?? []).ToDictionary(v => v.Name, v => v.Value),
                new Dictionary<int, double>(), DateTime.Now, null);
        });

    private int Insert(DbConnection c, DbTransaction t, int study, int number, string state,
        IEnumerable<(string Name, double Value, string Distribution)> values)
    {
        var id = int.Parse(Scalar(c, "INSERT INTO trials (number, study_id, state, datetime_start) VALUES (@n, @s, " +
            $"{Cast("@state", "trialstate")}, @now) RETURNING trial_id", t, ("@n", number), ("@s", study), ("@state", state),
            ("@now", state == "WAITING" ? null : _store.Dialect.Time(DateTime.Now)))!, CultureInfo.InvariantCulture);
        foreach (var (name, value, distribution) in values)
            Execute(c, "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (@t, @n, @v, @d)", t,
                ("@t", id), ("@n", name), ("@v", value), ("@d", distribution));
        return id;
    }

    private void FailStale(DbConnection c, DbTransaction t, int study, StalePolicy stale)
    {
        var dead = new List<int>();
        using (var q = Command(c, "SELECT t.trial_id FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id WHERE " +
            $"t.study_id = @s AND t.state = 'RUNNING' AND h.heartbeat < {_store.Dialect.Ago("@g")} ORDER BY t.number", t,
            ("@s", study), ("@g", stale.Grace.TotalSeconds)))
        using (var r = q.ExecuteReader())
            while (r.Read()) dead.Add(r.GetInt32(0));
        if (dead.Count == 0) return;
        var trials = Trials(c, t, study);
        foreach (var id in dead)
        {
            var trial = trials.First(x => x.Id == id);
            Execute(c, $"UPDATE trials SET state = {Cast("@state", "trialstate")}, datetime_complete = @now WHERE trial_id = @t", t,
                ("@state", "FAIL"), ("@now", _store.Dialect.Time(DateTime.Now)), ("@t", id));
            SetAttribute(c, t, id, "fail_reason", JsonValue.Create(
                $"no heartbeat for {stale.Grace.TotalSeconds:G4} s: its worker died or lost the store"));
            var history = trial.Attribute("retry_history")?.AsArray().Select(n => n!.GetValue<int>()).ToList() ?? [];
            if (history.Count >= stale.Retries) continue;
            var original = trial.Attribute("failed_trial")?.GetValue<int>() ?? trial.Number;
            var number = Count(c, t, "SELECT COUNT(*) FROM trials WHERE study_id = @s", study);
            var retry = Insert(c, t, study, number, "WAITING", trial.Params.Select(kv => (kv.Key, kv.Value,
                Scalar(c, "SELECT distribution_json FROM trial_params WHERE trial_id = @t AND param_name = @n", t, ("@t", id),
                    ("@n", kv.Key))!)).ToList());
            SetAttribute(c, t, retry, "failed_trial", JsonValue.Create(original));
            SetAttribute(c, t, retry, "retry_history", new JsonArray([.. history.Append(trial.Number).Select(n => JsonValue.Create(n))]));
        }
    }

    /// <summary>A running trial's heartbeat, on the database server's clock (its worker is alive).</summary>
    public void Beat(int trial) => _store.InTransaction((c, t) => Beat(c, t, trial));

    private void Beat(DbConnection c, DbTransaction t, int trial)
    {
        if (Execute(c, $"UPDATE trial_heartbeats SET heartbeat = {_store.Dialect.Now} WHERE trial_id = @t", t, ("@t", trial)) == 0)
            Execute(c, $"INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (@t, {_store.Dialect.Now})", t, ("@t", trial));
    }

    private static int Count(DbConnection c, DbTransaction t, string sql, int study) =>
        int.Parse(Scalar(c, sql, t, ("@s", study))!, CultureInfo.InvariantCulture);

    /// <summary>A trial attribute Optuna shows as a system attribute (JSON value), e.g. the trial's run id in the store.</summary>
    public void SetAttribute(int trial, string key, JsonNode value) =>
        _store.InTransaction((c, t) => SetAttribute(c, t, trial, key, value));

    private static void SetAttribute(DbConnection c, DbTransaction t, int trial, string key, JsonNode value)
    {
        Execute(c, "DELETE FROM trial_system_attributes WHERE trial_id = @t AND \"key\" = @k", t, ("@t", trial), ("@k", key));
        Execute(c, "INSERT INTO trial_system_attributes (trial_id, \"key\", value_json) VALUES (@t, @k, @v)", t, ("@t", trial),
            ("@k", key), ("@v", value.ToJsonString()));
    }

    /// <summary>An intermediate value (a step's figure, for pruning) and the trial's heartbeat.</summary>
    public void Report(int trial, int step, double value) => _store.InTransaction((c, t) =>
    {
        Execute(c, "DELETE FROM trial_intermediate_values WHERE trial_id = @t AND step = @s", t, ("@t", trial), ("@s", step));
        Execute(c, "INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES " +
            $"(@t, @s, @v, {Cast("@type", "trialintermediatevaluetype")})", t, ("@t", trial), ("@s", step),
            ("@v", double.IsFinite(value) ? value : null), ("@type", Kind(value, nan: "NAN")));
        Beat(c, t, trial);
    });

    /// <summary>Ends a running trial: COMPLETE with its value, PRUNED (with its last value, as Optuna does), or FAIL. False when
    /// the trial was no longer running (declared failed for a missed heartbeat meanwhile): it stays as it is.</summary>
    public bool Finish(int trial, string state, double? value) => _store.InTransaction((c, t) =>
    {
        if (Execute(c, $"UPDATE trials SET state = {Cast("@state", "trialstate")}, datetime_complete = @now WHERE trial_id = @t " +
            "AND state = 'RUNNING'", t, ("@state", state), ("@now", _store.Dialect.Time(DateTime.Now)), ("@t", trial)) == 0)
            return false;
        if (value is { } v && !double.IsNaN(v))
            Execute(c, "INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (@t, 0, @v, " +
                $"{Cast("@type", "trialvaluetype")})", t, ("@t", trial), ("@v", double.IsFinite(v) ? v : null), ("@type", Kind(v)));
        return true;
    });

    private static string Kind(double v, string nan = "FINITE") =>
        double.IsNaN(v) ? nan : double.IsPositiveInfinity(v) ? "INF_POS" : double.IsNegativeInfinity(v) ? "INF_NEG" : "FINITE";

    /// <summary>The study's trials in number order.</summary>
    public IReadOnlyList<StudyTrial> Trials(int study)
    {
        using var c = _store.Connect();
        return Trials(c, null, study);
    }

    private static List<StudyTrial> Trials(DbConnection c, DbTransaction? t, int study)
    {
        var parameters = Group(c, t, "SELECT p.trial_id, p.param_name, p.param_value FROM trial_params p JOIN trials t ON " +
            "t.trial_id = p.trial_id WHERE t.study_id = @s", study, r => (r.GetString(1), r.GetDouble(2)));
        var steps = Group(c, t, "SELECT v.trial_id, v.step, v.intermediate_value FROM trial_intermediate_values v JOIN trials t ON " +
            "t.trial_id = v.trial_id WHERE t.study_id = @s", study, r => (r.GetInt32(1), Real(r, 2)));
        var attributes = Group(c, t, "SELECT a.trial_id, a.\"key\", a.value_json FROM trial_system_attributes a JOIN trials t ON " +
            "t.trial_id = a.trial_id WHERE t.study_id = @s", study, r => (r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)));
        var trials = new List<StudyTrial>();
        using var q = Command(c, "SELECT t.trial_id, t.number, CAST(t.state AS VARCHAR(8)), v.value, t.datetime_start, " +
            "t.datetime_complete FROM trials t " +
            "LEFT JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0 WHERE t.study_id = @s ORDER BY t.number", t,
            ("@s", study));
        using var r = q.ExecuteReader();
        while (r.Read())
        {
            var id = r.GetInt32(0);
            trials.Add(new StudyTrial(id, r.GetInt32(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetDouble(3),
                parameters.TryGetValue(id, out var p) ? p.ToDictionary(x => x.Item1, x => x.Item2) : new Dictionary<string, double>(),
                steps.TryGetValue(id, out var s) ? s.ToDictionary(x => x.Item1, x => x.Item2) : new Dictionary<int, double>(),
                r.IsDBNull(4) ? null : r.GetDateTime(4), r.IsDBNull(5) ? null : r.GetDateTime(5),
                attributes.TryGetValue(id, out var a) ? a.ToDictionary(x => x.Item1, x => x.Item2 is null ? null : JsonNode.Parse(x.Item2))
                    : new Dictionary<string, JsonNode?>()));
        }
        return trials;
    }

    private static Dictionary<int, List<T>> Group<T>(DbConnection c, DbTransaction? t, string sql, int study,
        Func<DbDataReader, T> row)
    {
        var groups = new Dictionary<int, List<T>>();
        using var q = Command(c, sql, t, ("@s", study));
        using var r = q.ExecuteReader();
        while (r.Read())
        {
            if (!groups.TryGetValue(r.GetInt32(0), out var list)) groups[r.GetInt32(0)] = list = [];
            list.Add(row(r));
        }
        return groups;
    }
}
