using System.Diagnostics;
using System.Text.Json;
using OpenCvSharp;
using Podium.Data;
using Podium.IO;
using Podium.Reporting;
using static Podium.Platform.Invariant;

namespace Podium.Eda;

/// <summary>
/// `podium eda DATA [--test TEST] --out DIR`: scan, summarise, find duplicates and leakage,
/// write eda.json, plots/*.png and report.html.
/// </summary>
public static class EdaRunner
{
    /// <summary>Reads and scans DATA and TEST with a progress bar over both.</summary>
    public static ScannedData Scan(string dataPath, string? testPath, int threads, int textPoints = Data.IcdarText.QuadPoints)
    {
        var load = DatasetReader.OpenToLook(dataPath, textPoints);
        var testLoad = testPath is null ? null : DatasetReader.Open(testPath, labelled: false);
        var (facts, testFacts) = ImageScan.RunPair(load.Dataset, testLoad?.Dataset, "scanning images", threads);
        return new ScannedData(load.Dataset, load.Skipped, facts, testLoad?.Dataset, testLoad?.Skipped ?? [], testFacts);
    }

    public static EdaSummary Run(string dataPath, string? testPath, string outDir, EdaOptions options, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var scan = Scan(dataPath, testPath, options.Threads, options.TextPoints);
        log(F($"scanned {scan.Facts.Length + scan.TestFacts.Length} images in {clock.Elapsed.TotalSeconds:F1} s"));
        foreach (var (path, skipped) in new[] { (dataPath, scan.Skipped), (testPath, scan.TestSkipped) })
            if (skipped.Count > 0) log($"skipped {skipped.Count} inputs of {path}: {SkippedInput.Summarize(skipped)}");
        var pairs = Duplicates.Find([.. scan.Facts, .. scan.TestFacts], options.HashDistance, options.Similarity);
        var summary = new EdaAnalyzer(options).Summarize(Path.GetFullPath(dataPath), scan.Train, scan.Skipped, scan.Facts,
            testPath is null ? null : Path.GetFullPath(testPath), scan.TestFacts, scan.TestSkipped, pairs, clock.Elapsed.TotalSeconds);

        Directory.CreateDirectory(outDir);
        var plots = Path.Combine(outDir, "plots");
        Directory.CreateDirectory(plots);
        // A picture this run does not draw (no duplicates this time) must not linger from an earlier one.
        foreach (var stale in Directory.GetFiles(plots, "*.png")) File.Delete(stale);
        WritePictures(scan, summary, pairs, plots, options);
        // Timing covers the whole job, pictures included.
        summary = summary with { Seconds = Math.Round(clock.Elapsed.TotalSeconds, 2) };
        AtomicFile.WriteAllText(Path.Combine(outDir, "eda.json"), JsonSerializer.Serialize(summary, JsonFiles.Options));
        EdaReport.Write(summary, outDir);
        return summary;
    }

    /// <summary>Reads the normalisation statistics back from an eda.json (for normalize: auto).</summary>
    public static ChannelStats ReadStats(string edaJson)
    {
        if (!File.Exists(edaJson)) throw new PodiumException($"{edaJson}: no such file (write it with podium eda DATA --out DIR)");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(edaJson));
            var n = doc.RootElement.GetProperty("normalize");
            double[] Read(string key) => n.GetProperty(key).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var stats = new ChannelStats(Read("mean"), Read("std"));
            if (stats.Mean.Length != 3
                || stats.Std.Length != 3) throw new PodiumException($"{edaJson}: normalize needs 3 means and 3 stds");
            return stats;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new PodiumException($"{edaJson}: not an eda.json with normalize.mean and normalize.std ({e.Message.Split('\n')[0]})");
        }
    }

    private static void WritePictures(ScannedData scan, EdaSummary s, List<DuplicatePair> pairs, string plots, EdaOptions options)
    {
        var ok = scan.Facts.Where(f => f.Readable).ToArray();
        if (ok.Length == 0) return;
        bool byClass = s.Kind == "classification";
        var groups = byClass
            ? s.Classes.Select((c, k) => (c.Name, Facts: ok.Where(f => f.Label == k).ToArray())).ToList()
            : [(Name: s.Kind == "ocr" ? "text" : "all", Facts: ok)];
        if (scan.TestFacts.Any(f => f.Readable)) groups.Add(("test", scan.TestFacts.Where(f => f.Readable).ToArray()));
        if (byClass) EdaPlots.ClassCounts(s.Classes, Path.Combine(plots, "classes.png"));
        if (ok.Select(f => (f.Width, f.Height)).Distinct().Skip(1).Any()) EdaPlots.Sizes(ok, Path.Combine(plots, "sizes.png"));
        Plots.Histograms([("width", ok.Select(f => (double)f.Width).ToArray()), ("height", ok.Select(f => (double)f.Height).ToArray())],
            "Width and height (px)", "pixels", Path.Combine(plots, "dimensions.png"));
        Plots.Histograms(groups.Select(g => (g.Name, g.Facts.Select(f => f.Aspect).ToArray())).ToList(), "Aspect ratio (width / height)",
            "aspect", Path.Combine(plots, "aspect.png"));
        Plots.Histograms(groups.Select(g => (g.Name, g.Facts.Select(f => f.Brightness).ToArray())).ToList(), "Brightness (mean luma)",
            "brightness", Path.Combine(plots, "brightness.png"));
        Plots.Histograms(groups.Select(g => (g.Name, g.Facts.Select(f => f.Contrast).ToArray())).ToList(), "Contrast (std of luma)",
            "contrast", Path.Combine(plots, "contrast.png"));
        Plots.Histograms(groups.Select(g => (g.Name, g.Facts.Select(f => f.Sharpness).ToArray())).ToList(),
            "Sharpness (variance of the Laplacian)", "sharpness", Path.Combine(plots, "sharpness.png"), logX: true);
        var rows = byClass ? s.Classes.Select(c => c.Name).ToList() : [s.Kind == "ocr" ? "text" : "images"];
        // Documents need room to show their text regions.
        EdaMontage.Samples(scan.Train, ok, rows, options.SamplesPerClass, options.Seed, Path.Combine(plots, "samples.png"),
            tile: s.Kind == "ocr" ? 256 : 128);
        Mat Read(ImageFacts f) => (f.Set == "test" ? scan.Test! : scan.Train).Read(f.Index, 3);
        var ordered = pairs.OrderByDescending(p => p.Exact).ThenByDescending(p => p.Similarity).ToList();
        EdaMontage.Pairs(ordered.Where(p => !p.CrossesSets && p.A.Set == "train").Take(options.PairsShown).ToList(), scan.Train.Classes,
            Read, Path.Combine(plots, "duplicates.png"));
        EdaMontage.Pairs(ordered.Where(p => p.CrossesSets).Take(options.PairsShown).ToList(), scan.Train.Classes, Read, Path.Combine(plots,
            "leakage.png"));
        if (s.Kind == "ocr") TextPlots(scan.Train, ok, plots);
    }

    private static void TextPlots(ImageDataset data, ImageFacts[] facts, string plots)
    {
        var sizes = facts.SelectMany(f => (data.Polygons(f.Index) ?? []).Select(r => EdaAnalyzer.Measure(r.Points))).ToArray();
        Plots.Histograms([("regions", facts.Select(f => (double)(data.Polygons(f.Index)?.Count ?? 0)).ToArray())],
            "Text regions per image", "regions", Path.Combine(plots, "text_regions.png"));
        Plots.Histograms([("height", sizes.Select(r => r.Height).ToArray())], "Text region height (px)", "height", Path.Combine(plots,
            "text_height.png"), unit: "regions", bins: 40);
        Plots.Histograms([("width", sizes.Select(r => r.Width).ToArray())], "Text region width (px)", "width", Path.Combine(plots,
            "text_width.png"), unit: "regions", bins: 40);
        Plots.Histograms([("aspect", sizes.Select(r => r.Height > 0 ? r.Width / r.Height : double.NaN).ToArray())],
            "Text region aspect (width / height)", "aspect", Path.Combine(plots, "text_aspect.png"), unit: "regions", bins: 40, logX: true);
        Plots.Histograms([("angle", sizes.Select(r => r.AngleDegrees).ToArray())], "Text orientation (degrees of the reading direction)",
            "angle", Path.Combine(plots, "text_angle.png"), unit: "regions", bins: 36);
    }

}
