using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Podium.Tracking;

/// <summary>The embedded store: one SQLite file, WAL journal (readers never wait for writers), writers queue on its lock for up
/// to a minute.</summary>
internal sealed class SqliteDialect(string path) : StoreDialect
{
    private readonly string _connectionString =
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 60 }.ToString();

    public override string Location => path;

    public override DbConnection Open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var c = new SqliteConnection(_connectionString);
        c.Open();
        RunStore.Execute(c, "PRAGMA busy_timeout = 60000; PRAGMA synchronous = NORMAL;");
        return c;
    }

    public override DbTransaction Begin(DbConnection c) => ((SqliteConnection)c).BeginTransaction(deferred: false);

    // WAL is a property of the file, set once; it cannot change inside a transaction.
    public override void Prepare(DbConnection c)
    {
        if (RunStore.Scalar(c, "PRAGMA journal_mode") is not "wal") RunStore.Execute(c, "PRAGMA journal_mode = WAL");
    }

    public override string KeyedTable => " WITHOUT ROWID";

    public override string TableExists => "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = @name";

    public override (string Sql, string Value) Glob(string column, string parameter, string pattern) =>
        ($"{column} GLOB {parameter}", pattern);
}
