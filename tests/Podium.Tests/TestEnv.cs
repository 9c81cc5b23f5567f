using System.Diagnostics;
using OpenCvSharp;

// One test at a time: two libtorch trainings on the same cores slow each other down about 5x (OpenMP threads spin
// while their partner waits for a core), so the suite ran slower in parallel (9 min) than serially (5.5 min), and
// timing-bound tests failed on busy machines. Serial tests never run two multi-threaded trainings at once.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Podium.Tests;

/// <summary>Paths, temp folders and the real CLI as a subprocess, for tests.</summary>
public static class TestEnv
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared/datasets beside the checkout; real-data tests fail loudly without it.</summary>
    public static string Datasets
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets"));
            if (!Directory.Exists(path)) throw new InvalidOperationException($"real datasets not found at {path} (see README: " +
                $"../shared/datasets)");
            return path;
        }
    }

    /// <summary>
    /// This test process's scratch folder, /tmp/podium-tests/&lt;pid&gt;: deleted when the process exits (when the
    /// test host lets it; scripts/test.sh removes podium-tests afterwards anyway), and folders of processes
    /// that are gone are deleted on start. Training runs leave checkpoints of tens of MB each; kept, a few
    /// suite runs fill a disk.
    /// </summary>
    private static readonly Lazy<string> Scratch = new(() =>
    {
        var parent = Path.Combine(Path.GetTempPath(), "podium-tests");
        Directory.CreateDirectory(parent);
        foreach (var old in Directory.GetDirectories(parent))
            if (!int.TryParse(Path.GetFileName(old), out var pid) || !ProcessAlive(pid)) TryDelete(old);
        var mine = Path.Combine(parent, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(mine);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(mine);
        return mine;
    });

    internal static bool ProcessAlive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    internal static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    public static string TempDir(string name)
    {
        var dir = Path.Combine(Scratch.Value, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

    /// <summary>Starts the podium CLI without waiting (for tests that stop it midway); output is discarded.</summary>
    public static Process StartPodium(string workingDirectory, params string[] args) => StartPodium(workingDirectory, _ => { }, args);

    /// <summary>Starts the podium CLI without waiting; each line it writes (stdout or stderr) goes to <paramref name="line"/>.</summary>
    public static Process StartPodium(string workingDirectory, Action<string> line, params string[] args)
    {
        var p = Process.Start(StartInfo("dotnet", workingDirectory, new Dictionary<string, string>(), [CliDll, .. args]))!;
        p.OutputDataReceived += (_, e) => { if (e.Data is { } text) line(text); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is { } text) line(text); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Runs the podium CLI built beside the tests, as a user would.</summary>
    public static CliResult Podium(string workingDirectory, params string[] args) =>
        Podium(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs the podium CLI with environment variables set for it alone.</summary>
    public static CliResult Podium(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Run("dotnet", workingDirectory, environment, TimeSpan.FromMinutes(5), [CliDll, .. args]);

    /// <summary>Runs a program to its end (killed after <paramref name="timeout"/>) and returns what it wrote.</summary>
    public static CliResult Run(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, params string[] args)
    {
        using var p = Process.Start(StartInfo(program, workingDirectory, environment, args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(true); throw new TimeoutException(program + " " + string.Join(' ', args)); }
        return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A program's start with its output captured; TERM is dumb and a developer's own run store is not the tests'.</summary>
    private static ProcessStartInfo StartInfo(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TERM"] = "dumb";
        psi.Environment.Remove("PODIUM_TRACKING_STORE");
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        return psi;
    }

    /// <summary><paramref name="s"/> as one word of a bash command line.</summary>
    public static string ShellQuote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    /// <summary>One transform built from a pipeline item, exactly as a config's augment.train list builds it.</summary>
    public static global::Podium.Augment.ITransform Transform(string item)
    {
        var c = global::Podium.Config.ConfigLoader.Parse($"data: {{train: x}}\naugment:\n  train:\n    - {item}\n", "t.yaml");
        var compose = (global::Podium.Augment.Compose)global::Podium.Augment.Pipelines.Build(c, c.Augment.Train,
            "augment.train").Transforms;
        return Assert.Single(compose.Transforms);
    }

    /// <summary>A fresh folder with generated shapes in data/ (32 px) and <paramref name="configYaml"/> as cfg.yaml. Tests of the
    /// machinery rather than of a network train mobilenet_v3_small: on the AVX-capped oneDNN of this kind of machine a ResNet-18 step
    /// at these sizes costs about four times as much (its 512-channel weight gradients go through oneDNN's gemm fallback).</summary>
    public static string ShapesProject(string name, int trainPerClass, int seed, string configYaml, int testPerClass = 1)
    {
        var root = TempDir(name);
        global::Podium.Quickstart.SyntheticShapes.Generate(Path.Combine(root, "data"), trainPerClass, testPerClass, size: 32, seed);
        File.WriteAllText(Path.Combine(root, "cfg.yaml"), configYaml);
        return root;
    }

    public static void WriteImage(string path, int width, int height, Scalar color)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var m = new Mat(height, width, MatType.CV_8UC3, color);
        Cv2.ImWrite(path, m);
    }

    /// <summary>The CLI copied beside the tests when it can run there, else the CLI project's own output of the same
    /// configuration.</summary>
    internal static string CliDll
    {
        get
        {
            var here = Path.Combine(AppContext.BaseDirectory, "Podium.Cli.dll");
            if (File.Exists(Path.ChangeExtension(here, ".runtimeconfig.json"))) return here;
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Name; // bin/<Configuration>/net10.0
            return Path.Combine(RepoRoot, "src", "Podium.Cli", "bin", configuration, "net10.0", "Podium.Cli.dll");
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Podium.sln"))) return dir.FullName;
        throw new InvalidOperationException("Podium.sln not found above the test binaries");
    }
}
