using System.Globalization;
using System.Text.Json;
using Podium.Config;
using Podium.Models;
using Podium.Reporting;
using Podium.Tracking;
using Podium.Training;
using static Podium.Tasks.ReportNumbers;

namespace Podium.Tasks.Recognition;

/// <summary>Text recognition (podium ocr train with a rec section): a CTC recogniser reads upright line images, scored by the character
/// error rate, line accuracy and SROIE Task 2's word F1.</summary>
[Task("text_recognition")]
public sealed class TextRecognitionTask : ITask
{
    /// <summary>Validation reports these, the character error rate first.</summary>
    public static readonly IReadOnlyList<MetricSpec> Validated =
        [new("cer", false), new("line_accuracy", true), new("word_f1", true), new("ncer", false)];

    public IReadOnlyList<MetricSpec> KnownMetrics(PodiumConfig config) => Validated;

    public IReadOnlyList<MetricSpec> Metrics(PodiumConfig config) => Validated;

    public PodiumConfig Resolve(PodiumConfig config, string source)
    {
        var rec = config.Rec ?? throw new ConfigException($"{source}: task: text_recognition needs a rec section (rec: {{}} for the " +
            $"defaults)");
        if (config.Data.Split is not null) throw new ConfigException($"{source}: data.split: text lines train from data.train with " +
            $"data.val or data.val_split");
        if (config.Data.Channels != 3) throw new ConfigException($"{source}: data.channels: recognisers read RGB lines (3), not " +
            $"{config.Data.Channels}");
        var imported = Recognisers.Imports(config.Model.Pretrained);
        if (config.Model.Pretrained is { } p && !imported)
            throw new ConfigException($"{source}: model.pretrained: a recogniser starts from an ONNX recogniser (ppocrv4-rec, or " +
                $"onnx:PATH) or from scratch, not '{p}'");
        var charset = rec.Charset ?? (imported ? "model" : "data");
        if (charset == "model" && (!imported || ImportedRecogniser.KeysFile(config.Model.Pretrained!) is null))
            throw new ConfigException($"{source}: rec.charset: model takes the characters of a named recogniser (model.pretrained: " +
                $"ppocrv4-rec); give data or a keys file");
        if (charset is not ("data" or "model") && !File.Exists(charset))
            throw new ConfigException($"{source}: rec.charset: {charset}: no such keys file (or data, model)");
        // A model section left at the classification default means the default recogniser; an imported one has no name.
        var name = imported ? "crnn" : config.Model.Name == new ModelConfig().Name ? "crnn" : config.Model.Name;
        ComponentConfig bound;
        try { bound = Recognisers.Registry.Bind(new ComponentConfig(name) { Parameters = config.Model.Parameters }, "model"); }
        catch (ConfigException e) { throw new ConfigException($"{source}: {e.Message}", e); }
        var height = rec.Height > 0 ? rec.Height : imported ? 48 : 32;
        return config with
        {
            Model = config.Model with { Name = name, Options = bound.Options },
            Rec = rec with { Height = height, Charset = charset == "data" || charset == "model" ? charset : Path.GetFullPath(charset) },
            Train = config.Train.WithTaskMetrics("cer", Validated.Select(m => m.Name)),
        };
    }

    public ITaskRun Prepare(PodiumConfig config, Action<string> log) => new TextRecognitionRun(config, log);

    public string Headline(int bestEpoch, JsonElement best) =>
        $"<p class=big>Best epoch {bestEpoch}: validation character error rate <b>{F(best, "val_cer")}</b> " +
        $"(line accuracy {F(best, "val_line_accuracy")}, SROIE word F1 {F(best, "val_word_f1")}; greedy decoding)</p>";

    public void Report(RunDirectory run, HtmlPage page)
    {
        if (!File.Exists(run.ValLines)) return;
        page.Image(run.ValLinesPlot, "The validation lines read worst: each crop with its transcription (blue) and the reading (red)");
        var rows = IO.Csv.Read(run.ValLines);
        int edits = Array.IndexOf(rows[0], "edits");
        page.Table([rows[0], .. rows.Skip(1).OrderByDescending(r => int.Parse(r[edits], CultureInfo.InvariantCulture)).Take(20)],
            $"The 20 validation lines with the most character errors (all {rows.Count - 1}: {Path.GetFileName(run.ValLines)})");
    }
}
