using System.Data.Common;

namespace Podium.Tracking;

/// <summary>
/// What differs between the run store's databases: how a connection opens, how a writing transaction starts, column types
/// and name patterns. Every statement the store runs is otherwise the same SQL (named @parameters, INSERT ... ON CONFLICT).
/// </summary>
internal abstract class StoreDialect
{
    /// <summary>The store as messages and tracking.json name it (never a password).</summary>
    public abstract string Location { get; }

    /// <summary>An open connection, ready for the store's statements.</summary>
    public abstract DbConnection Open();

    /// <summary>A transaction that holds its write locks from the start, so two writers wait for each other instead of one
    /// failing when it upgrades.</summary>
    public abstract DbTransaction Begin(DbConnection c);

    /// <summary>Before the schema is read or created: one process at a time, while the transaction lasts.</summary>
    public virtual void LockSchema(DbConnection c, DbTransaction t) { }

    /// <summary>Once per opening, before the schema: database-wide settings.</summary>
    public virtual void Prepare(DbConnection c) { }

    /// <summary>The clause after a keyed table's definition.</summary>
    public virtual string KeyedTable => "";

    /// <summary>A query with an @name parameter that returns a row when the table exists.</summary>
    public abstract string TableExists { get; }

    /// <summary>Optuna's column types here (its SQLAlchemy models as each database gets them): auto-increment key, float,
    /// timestamp, and an enum column's type by the enum's name and longest value.</summary>
    public virtual string Serial => "INTEGER";
    public virtual string Float => "FLOAT";
    public virtual string Timestamp => "DATETIME";
    public virtual string EnumType(string name, int longest) => $"VARCHAR({longest})";

    /// <summary>Statements creating the enum types Optuna's tables use (PostgreSQL has them; SQLite stores text).</summary>
    public virtual IEnumerable<string> EnumTypes(IReadOnlyDictionary<string, string[]> enums) => [];

    /// <summary>What follows a SELECT that must lock the rows it reads until the transaction ends (SQLite's writing
    /// transaction already holds the whole file).</summary>
    public virtual string ForUpdate => "";

    /// <summary>A timestamp as Optuna's SQLAlchemy columns hold it (naive local time).</summary>
    public virtual object Time(DateTime local) =>
        local.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The database server's clock as a timestamp column holds it, and that clock some seconds (a parameter) ago:
    /// heartbeats from many machines compare on one clock, as Optuna's do.</summary>
    public virtual string Now => "CURRENT_TIMESTAMP";
    public virtual string Ago(string seconds) => $"datetime('now', '-' || {seconds} || ' seconds')";

    /// <summary>A condition that <paramref name="column"/> matches the shell pattern (* and ?) in the parameter, case-sensitive,
    /// and the parameter's value for a pattern.</summary>
    public abstract (string Sql, string Value) Glob(string column, string parameter, string pattern);
}
