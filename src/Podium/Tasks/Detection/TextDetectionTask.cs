using System.Globalization;
using System.Text.Json;
using Podium.Config;
using Podium.Ocr;
using Podium.Reporting;
using Podium.Tracking;
using Podium.Training;
using static Podium.Tasks.ReportNumbers;

namespace Podium.Tasks.Detection;

/// <summary>Text detection with DBNet (podium ocr train): a probability and a threshold map per image, scored by the ICDAR 2015
/// protocol.</summary>
[Task("text_detection")]
public sealed class TextDetectionTask : ITask
{
    /// <summary>Validation reports these three, hmean first; all are maximised.</summary>
    public static readonly IReadOnlyList<MetricSpec> Validated = [.. DetectionEvaluation.MetricNames.Select(n => new MetricSpec(n, true))];

    public IReadOnlyList<MetricSpec> KnownMetrics(PodiumConfig config) => Validated;

    public IReadOnlyList<MetricSpec> Metrics(PodiumConfig config) => Validated;

    public PodiumConfig Resolve(PodiumConfig config, string source)
    {
        if (config.Ocr is null) throw new ConfigException($"{source}: task: text_detection needs an ocr section (ocr: {{}} for DBNet's " +
            $"defaults)");
        if (config.Data.Split is not null) throw new ConfigException($"{source}: data.split: text data trains from data.train with " +
            $"data.val or data.val_split");
        if (config.Model.Pretrained is { } p && !Models.ImportedDbNet.Imports(p))
            throw new ConfigException($"{source}: model.pretrained: a DBNet starts from an ONNX detector (ppocrv4-det, or onnx:PATH), " +
                $"not '{p}'");
        // The classification default means nothing here: detection is judged by hmean, and precision and recall are logged beside it.
        return config with { Train = config.Train.WithTaskMetrics("hmean", Validated.Select(m => m.Name)) };
    }

    public ITaskRun Prepare(PodiumConfig config, Action<string> log) => new TextDetectionRun(config, log);

    public string Headline(int bestEpoch, JsonElement best) =>
        $"<p class=big>Best epoch {bestEpoch}: validation hmean <b>{F(best, "val_hmean")}</b> " +
        $"(precision {F(best, "val_precision")}, recall {F(best, "val_recall")}; ICDAR 2015 protocol)</p>";

    public void Report(RunDirectory run, HtmlPage page)
    {
        if (!File.Exists(run.ValPerImage)) return;
        // Where the best checkpoint fails, as pictures and as the lowest rows of the per-image table.
        page.Image(run.ValDetectionsPlot,
            "Validation images, worst (red captions) and best: truth blue (don't-care grey), detections green");
        var rows = File.ReadAllLines(run.ValPerImage).Select(l => l.Split(',')).ToList();
        int hmean = Array.IndexOf(rows[0], "hmean");
        page.Table([rows[0], .. rows.Skip(1).OrderBy(r => double.Parse(r[hmean], CultureInfo.InvariantCulture)).Take(12)],
            $"The 12 validation images with the lowest hmean (all {rows.Count - 1}: {Path.GetFileName(run.ValPerImage)})");
    }
}
