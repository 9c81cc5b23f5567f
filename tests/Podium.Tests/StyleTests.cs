using System.Text.RegularExpressions;
using Mono.Cecil;

namespace Podium.Tests;

/// <summary>
/// The style rules no analyzer checks (issue 15): C# lines of at most 140 characters, one public type per library file,
/// named like the file, and no test training fixed to more than one thread. <c>dotnet format --verify-no-changes</c>
/// (scripts/test.sh) checks the .editorconfig rules.
/// </summary>
public partial class StyleTests
{
    private const int MaxLine = 140;

    [Fact]
    public void NoCSharpLineIsLongerThan140Characters()
    {
        var tooLong = SourceFiles("src", "tests", "bench", "build")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => x.line.Length > MaxLine)
            .Select(x => $"{Path.GetRelativePath(TestEnv.RepoRoot, x.f)}:{x.i + 1} has {x.line.Length} characters")
            .ToList();
        Assert.True(tooLong.Count == 0, string.Join("\n", tooLong));
    }

    [Fact]
    public void EveryPublicLibraryTypeHasItsOwnFileNamedLikeIt()
    {
        var files = SourceFiles(Path.Combine("src", "Podium")).ToList();
        var problems = new List<string>();
        foreach (var f in files)
        {
            var declared = PublicTopLevelType().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value).ToList();
            var name = Path.GetFileNameWithoutExtension(f);
            if (declared.Count > 1) problems.Add($"{f}: declares {string.Join(", ", declared)}");
            else if (declared.Count == 1 && declared[0] != name) problems.Add($"{f}: declares {declared[0]}");
        }
        // The compiled library agrees: each public top-level type has a file of its name.
        var names = files.Select(Path.GetFileNameWithoutExtension).ToHashSet();
        using var podium = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "Podium.dll"));
        foreach (var t in podium.Types.Where(t => t.IsPublic))
        {
            var name = t.Name.Split('`')[0];
            if (!names.Contains(name)) problems.Add($"{t.FullName}: no file {name}.cs");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void NoTestFixesATrainingsThreadsAboveOne()
    {
        // scripts/test.sh runs two halves side by side, each seeing half the cores: a training told to take more threads than its
        // share spins at OpenMP's barriers against the other half (TextRecognitionTests' run fixed at two took 3.7x as long).
        var fixedThreads = SourceFiles("tests")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => FixedThreads().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(TestEnv.RepoRoot, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(fixedThreads.Count == 0, string.Join("\n", fixedThreads));
    }

    [GeneratedRegex(@"threads(:\s*|=)([2-9]|\d\d)")]
    private static partial Regex FixedThreads();

    [GeneratedRegex(@"^public\s+(?:(?:static|sealed|abstract|readonly|partial|unsafe|record)\s+)*" +
        @"(?:class|record|struct|interface|enum)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex PublicTopLevelType();

    private static IEnumerable<string> SourceFiles(params string[] folders) => folders
        .Select(d => Path.Combine(TestEnv.RepoRoot, d))
        .Where(Directory.Exists)
        .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
            && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
}
