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

    /// <summary>
    /// The offline recipe (README, "Offline"): a self-contained publish runs where there is no .NET and no network (a private
    /// mount namespace hides /usr/share/dotnet, and has no network) and its predictions on flowers validation images are those of
    /// `podium predict`, byte for byte.
    /// </summary>
    [Fact]
    public void ASelfContainedBuildPredictsWithoutDotnetOrNetworkAsPodiumDoes()
    {
        var dir = TestEnv.TempDir("standalone");
        var none = new Dictionary<string, string>();
        try
        {
            var dist = Path.Combine(dir, "dist");
            var publish = TestEnv.Run("dotnet", TestEnv.RepoRoot, none, TimeSpan.FromMinutes(8), "publish",
                "src/Podium.Cli/Podium.Cli.csproj", "-c", "Release", "-r", "linux-x64", "--self-contained", "-o", dist, "-v", "q",
                "--nologo");
            Assert.True(publish.ExitCode == 0, publish.Stdout + publish.Stderr);
            Assert.True(File.Exists(Path.Combine(dist, "libcoreclr.so")), "the runtime is not in the folder");

            // A flowers model on a toy tenth of the photos, one epoch: the point is the CSVs' equality, not its accuracy.
            var flowers = Path.Combine(TestEnv.Datasets, "flowers");
            Assert.Equal(0, TestEnv.Podium(dir, "split", flowers, "--toy", "0.1", "--seed", "0", "--out", "toy.csv").ExitCode);
            File.WriteAllText(Path.Combine(dir, "cfg.yaml"), $$"""
                seed: 0
                data: {train: {{flowers}}, split: toy.csv, img_size: 32}
                model: {name: resnet18}
                train: {epochs: 1, batch_size: 32}
                """);
            var train = TestEnv.Podium(dir, "train", "cfg.yaml", "--out", "run");
            Assert.True(train.ExitCode == 0, train.Stdout + train.Stderr);
            var val = File.ReadAllLines(Path.Combine(dir, "toy.csv")).Skip(1).Where(l => l.EndsWith(",val", StringComparison.Ordinal))
                .Select(l => l.Split(',')[0]).ToList();
            File.WriteAllLines(Path.Combine(dir, "val.csv"), ["path", .. val]);
            var podium = TestEnv.Podium(dir, "predict", "--run", "run", "--input", "val.csv", "--out", "a.csv", "--probabilities",
                "pa.csv");
            Assert.True(podium.ExitCode == 0, podium.Stdout + podium.Stderr);

            var standaloneCli = TestEnv.ShellQuote(Path.Combine(dist, "Podium.Cli"));
            var script = $"""
                mount -t tmpfs none /usr/share/dotnet || exit 9
                if dotnet --version > /dev/null 2>&1; then echo "dotnet still runs"; exit 8; fi
                exec env -i PATH=/usr/bin:/bin HOME={TestEnv.ShellQuote(dir)} {standaloneCli} predict --run run --input val.csv \
                  --out b.csv --probabilities pb.csv
                """;
            var probe = TestEnv.Run("unshare", dir, none, TimeSpan.FromMinutes(1), "--user", "--map-root-user", "--mount", "--net", "true");
            var standalone = probe.ExitCode == 0
                ? TestEnv.Run("unshare", dir, none, TimeSpan.FromMinutes(5), "--user", "--map-root-user", "--mount", "--net", "bash", "-c",
                    script)
                // Without user namespaces (a locked-down kernel) the folder still runs, only .NET is not hidden from it.
                : TestEnv.Run(Path.Combine(dist, "Podium.Cli"), dir, none, TimeSpan.FromMinutes(5), "predict", "--run", "run", "--input",
                    "val.csv", "--out", "b.csv", "--probabilities", "pb.csv");
            Assert.True(standalone.ExitCode == 0, standalone.Stdout + standalone.Stderr);
            Assert.Equal(val.Count + 1, File.ReadAllLines(Path.Combine(dir, "a.csv")).Length);
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a.csv")), File.ReadAllBytes(Path.Combine(dir, "b.csv")));
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "pa.csv")), File.ReadAllBytes(Path.Combine(dir, "pb.csv")));
        }
        finally
        {
            TestEnv.TryDelete(dir); // about 750 MB
            TestEnv.TryDelete(Path.Combine(TestEnv.RepoRoot, "src", "Podium.Cli", "bin", "standalone"));
        }
    }
}
