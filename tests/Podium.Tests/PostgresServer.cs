using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Podium.Tests;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: Debian's postgresql package (scripts/setup.sh installs it), initdb'd into a
/// temporary folder, listening only on a Unix socket there, run as a non-root user (postgres when the tests run as root, since
/// PostgreSQL refuses root), stopped and deleted when the test process exits. Started once, on first use; each test gets its
/// own database.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Shared = new(() => new PostgresServer());
    private const string User = "podium";
    private readonly string _bin;
    private readonly string _folder;
    private int _databases;

    public static PostgresServer Instance => Shared.Value;

    /// <summary>The folder holding the cluster's data and its socket.</summary>
    public string SocketFolder => _folder;

    private PostgresServer()
    {
        _bin = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql")
            .Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault() ?? "" : "";
        if (_bin.Length == 0)
            throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); scripts/setup.sh " +
                "installs Debian's postgresql package");
        StopStale();
        _folder = Path.Combine(Path.GetTempPath(), "podium-pg-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        Directory.CreateDirectory(_folder);
        if (IsRoot) Run("chown", "postgres:postgres", _folder);
        var data = Path.Combine(_folder, "data");
        Pg("initdb", "-D", data, "-U", User, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
        // Only a socket in the cluster's own folder: nothing listens on the network, nothing clashes with another cluster.
        Pg("pg_ctl", "-D", data, "-l", Path.Combine(_folder, "log"), "-w", "-t", "60", "start", "-o",
            $"-k {_folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(_folder);
    }

    /// <summary>A new, empty database and the store URL that names it.</summary>
    public string NewDatabase(string name)
    {
        var database = $"{name}_{Interlocked.Increment(ref _databases)}";
        using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder { Host = _folder, Username = User, Database = "postgres" }
            .ToString());
        c.Open();
        using var q = c.CreateCommand();
        q.CommandText = $"CREATE DATABASE \"{database}\"";
        q.ExecuteNonQuery();
        return $"postgresql://{User}@/{database}?host={_folder}";
    }

    // PostgreSQL refuses to run as root.
    private static bool IsRoot => Environment.UserName == "root";

    private void Pg(string tool, params string[] args)
    {
        if (IsRoot) Run("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]);
        else Run(Path.Combine(_bin, tool), args);
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {p.ExitCode}: {error}{output.Result}");
    }

    // Clusters of test processes that died without stopping theirs.
    private void StopStale()
    {
        foreach (var old in Directory.GetDirectories(Path.GetTempPath(), "podium-pg-*"))
            if (int.TryParse(Path.GetFileName(old)["podium-pg-".Length..], CultureInfo.InvariantCulture, out var pid)
                && !TestEnv.ProcessAlive(pid))
                Stop(old);
    }

    private void Stop(string folder)
    {
        try
        {
            if (File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
                Pg("pg_ctl", "-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException) { } // already stopped
        TestEnv.TryDelete(folder);
    }
}
