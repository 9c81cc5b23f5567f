using System.Collections.Concurrent;
using OpenCvSharp;
using Podium.Augment;
using Podium.Config;
using Podium.Data;
using Podium.IO;
using Podium.Platform;

namespace Podium.Runs;

/// <summary>
/// "Heavy offline, light online": writes <c>copies</c> augmented versions of every training image
/// (the config's augment.train transforms, before the final resize and normalisation) and a
/// manifest.csv (path,label,group,copy) that training reads as a CSV dataset. The group column keeps
/// every copy of one source image on the same side of the validation split. OCR data (text polygons)
/// gets a manifest.json instead (MMOCR's format) with each copy's transformed polygons. Copy c of image i uses
/// the seed (seed, 1000000 + c, i): the same files on every run, whatever the thread count.
/// </summary>
public static class OfflineAugmenter
{
    public static OfflineResult Run(PodiumConfig config, int copies, string outDir, string format, bool includeOriginals,
        Action<string> log, Action? onImage = null)
    {
        if (copies < 1) throw new PodiumException($"--copies {copies}: at least 1");
        if (format is not ("jpg" or "png")) throw new PodiumException($"--format {format}: expected jpg or png");
        var pipeline = Augment.Pipelines.Build(config, config.Augment.Train, "augment.train");
        var load = DatasetReader.Open(config.Data.Train, textPoints: config.Data.TextPoints);
        if (load.Skipped.Count > 0) log($"skipped {load.Skipped.Count} inputs: {load.SkipSummary()}");
        var data = load.Enforce(config.Data.OnBadInput);
        outDir = Path.GetFullPath(outDir);
        // OCR data: the polygons travel with the pixels and go into an MMOCR-style manifest.json.
        bool text = data.Count > 0 && data.Polygons(0) is not null;
        var regions = new ConcurrentBag<(int Index, int Copy, Data.TextManifest.Entry Entry)>();
        var rows = new ConcurrentBag<(int Index, int Copy, string Line)>();
        var encode = format == "jpg" ? new[] { new ImageEncodingParam(ImwriteFlags.JpegQuality, 95) } : [];
        Parallel.For(0, data.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            // Absolute: the manifest lives elsewhere and resolves relative paths against its own folder.
            string label = data.Classes[data.Label(i)], located = data.Locate(i);
            string source = located.Contains('#') ? located : Path.GetFullPath(located);
            string stem = Path.GetFileNameWithoutExtension(source.Split('#')[0]) + (source.Contains('#') ? "_" + source.Split('#')[1] : "");
            using var original = data.Read(i, config.Data.Channels); // decoded once, cloned for each copy
            if (includeOriginals && data is FileImageDataset)
                rows.Add((i, -1, Csv.Line([source, label, source, "original"])));
            if (includeOriginals && text)
                regions.Add((i, -1, new Data.TextManifest.Entry(source, original.Width, original.Height, data.Polygons(i)!, source)));
            for (int c = 0; c < copies; c++)
            {
                using var target = new AugmentTarget(original.Clone());
                if (text) target.WithPolygons(data.Polygons(i)!);
                pipeline.Transforms.Apply(target, new Random(Seeds.For(config.Seed, 1_000_000 + c, i)));
                var relative = Path.Combine("images", Safe(label), $"{i:D6}_{Safe(stem)}_aug{c}.{format}");
                var path = Path.Combine(outDir, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using var bgr = new Mat();
                if (target.Image.Channels() == 3) Cv2.CvtColor(target.Image, bgr, ColorConversionCodes.RGB2BGR);
                else target.Image.CopyTo(bgr);
                Cv2.ImEncode("." + format, bgr, out var bytes, encode);
                AtomicFile.Write(path, temp => File.WriteAllBytes(temp, bytes));
                rows.Add((i, c, Csv.Line([relative.Replace('\\', '/'), label, source, c.ToString()])));
                if (text) regions.Add((i, c, new Data.TextManifest.Entry(relative.Replace('\\', '/'), target.Width, target.Height,
                    target.Polygons, source, c)));
                onImage?.Invoke();
            }
        });
        string manifest;
        if (text)
        {
            manifest = Path.Combine(outDir, "manifest.json");
            Data.TextManifest.Write(manifest, regions.OrderBy(r => r.Index).ThenBy(r => r.Copy).Select(r => r.Entry));
        }
        else
        {
            manifest = Path.Combine(outDir, "manifest.csv");
            AtomicFile.WriteAllLines(manifest, ["path,label,group,copy",
                .. rows.OrderBy(r => r.Index).ThenBy(r => r.Copy).Select(r => r.Line)]);
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "config.yaml"), ConfigLoader.ToYaml(config));
        return new OfflineResult(manifest, data.Count, copies, text ? regions.Count : rows.Count);
    }

    private static string Safe(string name)
        => string.Concat(name.Select(ch => Path.GetInvalidFileNameChars().Contains(ch) || ch == ' ' ? '_' : ch));
}
