using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Podium.Tracking;

/// <summary>
/// The team store: a PostgreSQL database named by a libpq-style URL,
/// <c>postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?host=SOCKET_DIR&amp;sslmode=...]</c>. A password left out comes from
/// PGPASSWORD or ~/.pgpass, as with psql; an empty host is the local socket (/var/run/postgresql).
/// </summary>
internal sealed class PostgresDialect : StoreDialect
{
    // Any fixed number: the lock that makes creating the schema one process's job.
    private const long SchemaLock = 0x706f6469756d;
    private static readonly string[] Options = ["host", "port", "user", "password", "sslmode", "connect_timeout", "application_name"];

    private readonly NpgsqlDataSource _source;

    private PostgresDialect(NpgsqlConnectionStringBuilder settings, string location)
    {
        _source = NpgsqlDataSource.Create(settings);
        Location = location;
    }

    public override string Location { get; }

    public static bool Names(string location) =>
        location.StartsWith("postgresql://", StringComparison.Ordinal) || location.StartsWith("postgres://", StringComparison.Ordinal);

    /// <summary>The store a URL names; a malformed URL is one line naming what is wrong.</summary>
    public static PostgresDialect FromUrl(string url)
    {
        PodiumException Bad(string problem) => new($"tracking.store: {Redacted(url)}: {problem} (expected " +
            "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE)");
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (rest.IndexOf('?') is var q and >= 0)
        {
            foreach (var pair in rest[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k, Uri.UnescapeDataString(v)) : (pair, "");
                if (!Options.Contains(key)) throw Bad($"unknown option {key} (known: {string.Join(", ", Options)})");
                query[key] = value;
            }
            rest = rest[..q];
        }
        var slash = rest.IndexOf('/');
        var database = slash < 0 ? "" : Uri.UnescapeDataString(rest[(slash + 1)..]);
        if (database.Length == 0) throw Bad("no database named");
        var authority = slash < 0 ? rest : rest[..slash];
        var at = authority.LastIndexOf('@');
        var (user, password) = (query.GetValueOrDefault("user"), query.GetValueOrDefault("password"));
        if (at >= 0)
        {
            var info = authority[..at].Split(':', 2);
            user = Uri.UnescapeDataString(info[0]);
            if (info.Length == 2) password = Uri.UnescapeDataString(info[1]);
            authority = authority[(at + 1)..];
        }
        var colon = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
        var host = Uri.UnescapeDataString(colon > 0 ? authority[..colon] : authority).Trim('[', ']');
        var port = query.GetValueOrDefault("port") ?? (colon > 0 ? authority[(colon + 1)..] : null);
        var settings = new NpgsqlConnectionStringBuilder
        {
            Host = query.GetValueOrDefault("host") ?? (host.Length > 0 ? host
                : Environment.GetEnvironmentVariable("PGHOST") ?? "/var/run/postgresql"),
            Database = database,
            ApplicationName = query.GetValueOrDefault("application_name") ?? "podium",
            Timeout = 10,
            CommandTimeout = 120,
        };
        if (port is not null)
            settings.Port = int.TryParse(port, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536 ? p
                : throw Bad($"port {port} is not a port number");
        if (query.TryGetValue("connect_timeout", out var timeout))
            settings.Timeout = int.TryParse(timeout, CultureInfo.InvariantCulture, out var t) && t >= 0 ? t
                : throw Bad($"connect_timeout {timeout} is not a number of seconds");
        if (!string.IsNullOrEmpty(user)) settings.Username = user;
        if (!string.IsNullOrEmpty(password)) settings.Password = password;
        if (query.TryGetValue("sslmode", out var ssl))
            settings.SslMode = Enum.TryParse<SslMode>(ssl.Replace("-", ""), ignoreCase: true, out var mode) ? mode
                : throw Bad($"sslmode {ssl} is not one of {string.Join(", ", Enum.GetNames<SslMode>()).ToLowerInvariant()}");
        var shownHost = settings.Host!.StartsWith('/') ? "" : settings.Host;
        var location = $"postgresql://{(user is { Length: > 0 } ? user + "@" : "")}{shownHost}" +
            $"{(port is null || shownHost.Length == 0 ? "" : ":" + port)}/{database}" +
            (shownHost.Length == 0 ? $"?host={settings.Host}" : "");
        return new PostgresDialect(settings, location);
    }

    /// <summary>A URL as it may be shown: its password replaced by ***.</summary>
    public static string Redacted(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var at = url.IndexOf('@', start);
        var colon = at < 0 ? -1 : url.IndexOf(':', start, at - start);
        var redacted = colon < 0 ? url : url[..(colon + 1)] + "***" + url[at..];
        var password = redacted.IndexOf("password=", StringComparison.Ordinal);
        if (password < 0) return redacted;
        var end = redacted.IndexOf('&', password);
        return redacted[..(password + "password=".Length)] + "***" + (end < 0 ? "" : redacted[end..]);
    }

    public override DbConnection Open() => _source.OpenConnection();

    public override DbTransaction Begin(DbConnection c) => c.BeginTransaction();

    public override void LockSchema(DbConnection c, DbTransaction t) =>
        RunStore.Execute(c, "SELECT pg_advisory_xact_lock(@lock)", t, ("@lock", SchemaLock));

    public override string TableExists =>
        "SELECT 1 FROM information_schema.tables WHERE table_name = @name AND table_schema = current_schema()";

    public override string Serial => "SERIAL";
    public override string Float => "FLOAT(53)";
    public override string Timestamp => "TIMESTAMP WITHOUT TIME ZONE";
    public override string EnumType(string name, int longest) => name;

    public override IEnumerable<string> EnumTypes(IReadOnlyDictionary<string, string[]> enums) =>
        enums.Select(e => $"CREATE TYPE {e.Key} AS ENUM ({string.Join(", ", e.Value.Select(v => $"'{v}'"))})");

    public override string ForUpdate => " FOR UPDATE";

    public override string Now => "LOCALTIMESTAMP";
    public override string Ago(string seconds) => $"LOCALTIMESTAMP - {seconds} * INTERVAL '1 second'";

    public override object Time(DateTime local) => DateTime.SpecifyKind(local, DateTimeKind.Unspecified);

    public override (string Sql, string Value) Glob(string column, string parameter, string pattern) =>
        ($"{column} LIKE {parameter} ESCAPE '!'",
            pattern.Replace("!", "!!").Replace("%", "!%").Replace("_", "!_").Replace('*', '%').Replace('?', '_'));
}
