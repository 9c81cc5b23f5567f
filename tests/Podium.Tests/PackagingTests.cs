using System.IO.Compression;
using System.Xml.Linq;

namespace Podium.Tests;

/// <summary>
/// The packages as a new user meets them: `dotnet pack` of the tool, `dotnet tool install --global` from that folder in a HOME
/// with nothing in it (no NuGet cache, no tools, only the local folder as a source), then `podium quickstart`.
/// </summary>
public class PackagingTests
{
    [Fact]
    public void TheToolPackedHereInstallsInACleanHomeAndRunsQuickstart()
    {
        var dir = TestEnv.TempDir("pack");
        var feed = Path.Combine(dir, "feed");
        try
        {
            var pack = TestEnv.Run("dotnet", TestEnv.RepoRoot, new Dictionary<string, string>(), TimeSpan.FromMinutes(8),
                "pack", "src/Podium.Cli/Podium.Cli.csproj", "-c", "Release", "-o", feed, "-v", "q", "--nologo");
            Assert.True(pack.ExitCode == 0, pack.Stdout + pack.Stderr);
            var version = typeof(Podium.Platform.TorchNative).Assembly.GetName().Version!.ToString(3);
            var pointer = Path.Combine(feed, $"Podium.Tool.{version}.nupkg");
            var linux = Path.Combine(feed, $"Podium.Tool.linux-x64.{version}.nupkg");
            Assert.True(File.Exists(pointer) && File.Exists(linux), string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName)));
            using (var zip = ZipFile.OpenRead(pointer))
            {
                Assert.NotNull(zip.GetEntry("README.md"));
                Assert.NotNull(zip.GetEntry("LICENSE"));
                var settings = XDocument.Load(zip.GetEntry("tools/any/any/DotnetToolSettings.xml")!.Open());
                Assert.Equal("Podium.Tool.linux-x64", settings.Descendants("RuntimeIdentifierPackage").Single().Attribute("Id")!.Value);
            }

            var home = Path.Combine(dir, "home");
            Directory.CreateDirectory(home);
            var config = Path.Combine(dir, "nuget.config");
            File.WriteAllText(config, $"""
                <configuration><packageSources><clear /><add key="local" value="{feed}" /></packageSources></configuration>
                """);
            var env = new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["DOTNET_CLI_HOME"] = home,
                ["NUGET_PACKAGES"] = Path.Combine(home, ".nuget", "packages"),
                ["PODIUM_CACHE"] = Path.Combine(home, ".cache", "podium"),
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            };
            var install = TestEnv.Run("dotnet", dir, env, TimeSpan.FromMinutes(5),
                "tool", "install", "--global", "--configfile", config, "Podium.Tool");
            Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);
            var podium = Path.Combine(home, ".dotnet", "tools", "podium");
            Assert.True(File.Exists(podium), install.Stdout);

            var v = TestEnv.Run(podium, dir, env, TimeSpan.FromMinutes(1), "--version");
            Assert.Equal(0, v.ExitCode);
            Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(version)} \(commit [0-9a-f]{{7,}}\)\s*$", v.Stdout);

            // One epoch keeps the suite short; everything else is the quickstart a user runs.
            var q = TestEnv.Run(podium, dir, env, TimeSpan.FromMinutes(8), "quickstart", "--set", "train.epochs=1", "--out", "qs");
            Assert.True(q.ExitCode == 0, q.Stdout + q.Stderr);
            Assert.Contains("quickstart done in", q.Stdout);
            var submission = File.ReadAllLines(Path.Combine(dir, "qs", "submission.csv"));
            Assert.True(submission.Length > 10, string.Join("\n", submission));
            Assert.True(File.Exists(Path.Combine(dir, "qs", "run", "report.html")));
        }
        finally
        {
            // About 2 GB: the publish folder, the packages, the installed tool and its NuGet cache.
            TestEnv.TryDelete(dir);
            TestEnv.TryDelete(Path.Combine(TestEnv.RepoRoot, "src", "Podium.Cli", "bin", "pack"));
        }
    }
}
