using System.ComponentModel;
using System.Reflection;
using System.Text.RegularExpressions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Tests;

/// <summary>The command line itself: help for every command, strict options, the version, the resolved config, and which --set was
/// bad.</summary>
public partial class CliTests
{
    [Fact]
    public void EveryCommandHasWorkingHelp()
    {
        // In process, on a console of the test's own: the command line as the podium command builds it (the process path
        // itself is what every other CLI test runs).
        var commands = Commands([]);
        Assert.True(commands.Count >= 20, string.Join(", ", commands.Select(c => string.Join(' ', c))));
        var failures = new List<string>();
        foreach (var command in commands)
        {
            var (code, output) = Help(command);
            if (code != 0 || !output.Contains("USAGE:")) failures.Add($"podium {string.Join(' ', command)} --help: {output}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The exit code and text of <c>podium COMMAND --help</c>, run in process.</summary>
    private static (int Code, string Output) Help(string[] command)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 120;
        var code = Cli.PodiumApp.Create(console).Run([.. command, "--help"]);
        return (code, writer.ToString());
    }

    [Fact]
    public void EveryOptionAndArgumentIsDescribed()
    {
        var settings = typeof(Cli.CliErrors).Assembly.GetTypes().Where(t => typeof(CommandSettings).IsAssignableFrom(t));
        var undescribed = settings.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(p => (p.GetCustomAttribute<CommandOptionAttribute>() is not null
                || p.GetCustomAttribute<CommandArgumentAttribute>() is not null)
                        && string.IsNullOrWhiteSpace(p.GetCustomAttribute<DescriptionAttribute>()?.Description))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}").ToList();
        Assert.True(undescribed.Count == 0, "options without a description: " + string.Join(", ", undescribed));
    }

    [Theory]
    [InlineData("--epochs", "3")]
    [InlineData("--k-fold", "5")]
    [InlineData("--inptu", "x")]
    public void UnknownOptionsAreRefusedNotIgnored(string option, string value)
    {
        var root = TestEnv.TempDir("strict");
        File.WriteAllText(Path.Combine(root, "cfg.yaml"), "data: {train: data}\n");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "cfg.yaml", option, value), $"Unknown option '{option[2..]}'");
    }

    [Fact]
    public void VersionResolvedConfigAndBadOverridesSayWhatTheyAre()
    {
        var root = TestEnv.TempDir("cli");
        var version = TestEnv.Podium(root, "--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+( \(commit [0-9a-f]+\))?\s*$", version.Stdout);

        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllText(Path.Combine(root, "sub", "cfg.yaml"), "data: {train: images}\ntrain: {scheduler: {name: plateau}}\n");
        var printed = TestEnv.Podium(root, "train", "sub/cfg.yaml", "--print-config");
        Assert.True(printed.ExitCode == 0, printed.Stderr);
        Assert.Contains("task: classification", printed.Stdout);
        Assert.Contains($"train: {Path.Combine(root, "sub", "images")}", printed.Stdout); // relative to the config file
        Assert.Contains("monitor: val_accuracy", printed.Stdout);
        Assert.Matches(@"metric: val_accuracy\s+mode: max", printed.Stdout); // the plateau schedule's, filled in
        Assert.False(Directory.Exists(Path.Combine(root, "runs")));

        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "sub/cfg.yaml", "--set", "train.epochs=abc", "--print-config"),
            "--set train.epochs=abc: ");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "sub/cfg.yaml", "--set", "data.img_size=3", "--print-config"),
            "--set data.img_size=3: data.img_size: must be between 8 and 4096, got 3");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "sub/cfg.yaml", "--set", "train.optimzer.lr=1", "--print-config"),
            "--set train.optimzer.lr=1: unknown key 'optimzer' in 'train' (did you mean 'optimizer'?)");
    }

    /// <summary>Every leaf command, found by reading the help of podium and of each branch.</summary>
    private static List<string[]> Commands(string[] prefix)
    {
        var help = Help(prefix).Output;
        var section = help[(help.IndexOf("COMMANDS:", StringComparison.Ordinal) + 9)..];
        var found = new List<string[]>();
        foreach (Match m in CommandLine().Matches(section))
        {
            string[] path = [.. prefix, m.Groups[1].Value];
            bool branch = Help(path).Output.Contains("COMMANDS:");
            found.AddRange(branch ? Commands(path) : [path]);
        }
        return found;
    }

    [GeneratedRegex(@"^    ([a-z][a-z-]*)\b", RegexOptions.Multiline)]
    private static partial Regex CommandLine();

    [Fact]
    public void WorkProgressLinesCountUpWhateverOrderThreadsFinishIn()
    {
        int done = 0;
        var output = Printed(() => new Podium.Cli.ConsoleWorkProgress().Run("scanning", 4000, report =>
        {
            Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => report(Interlocked.Increment(ref done)));
            return 0;
        }));
        var counts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.Parse(System.Text.RegularExpressions.Regex.Match(l, @"scanning: (\d+)/4000").Groups[1].Value,
                System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(10, counts.Count); // a line each tenth
        Assert.Equal(counts.Order(), counts);
    }

    [Fact]
    public void RunTablesInJsonKeepTextAsTextWhateverItLooksLike()
    {
        // Run ids are 12 hex digits: one of digits only, or digits around an e, once read as a number broke `runs list`'s JSON.
        var json = Printed(() => Podium.Cli.RunsTable.Write("json", ["id", "epochs", "value", "monitor"],
            [["123456789012", 3, 0.25, null], ["1234e5678901", null, double.NaN, ""]]));
        var rows = System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        Assert.Equal("123456789012", rows[0].GetProperty("id").GetString());
        Assert.Equal("1234e5678901", rows[1].GetProperty("id").GetString());
        Assert.Equal(3, rows[0].GetProperty("epochs").GetInt32());
        Assert.Equal(0.25, rows[0].GetProperty("value").GetDouble());
        Assert.All(new[] { rows[0].GetProperty("monitor"), rows[1].GetProperty("epochs"), rows[1].GetProperty("value"),
            rows[1].GetProperty("monitor") }, v => Assert.Equal(System.Text.Json.JsonValueKind.Null, v.ValueKind));
        Assert.Equal("id,epochs,value,monitor\n123456789012,3,0.25,\n1234e5678901,,,",
            Printed(() => Podium.Cli.RunsTable.Write("csv", ["id", "epochs", "value", "monitor"],
                [["123456789012", 3, 0.25, null], ["1234e5678901", null, double.NaN, ""]])).ReplaceLineEndings("\n").TrimEnd());
    }

    /// <summary>What <paramref name="action"/> writes to the console.</summary>
    private static string Printed(Action action)
    {
        var original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try { action(); }
        finally { Console.SetOut(original); }
        return captured.ToString();
    }
}
