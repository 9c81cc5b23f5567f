using System.Text.Json;
using Podium.Config;
using Podium.Reporting;
using Podium.Tasks;
using Podium.Tracking;

namespace Podium.Runs;

/// <summary>report.html: one self-contained page (PNGs inlined) with the run's headline, curves, per-epoch table, its task's
/// evaluation, what was skipped, and the resolved config.</summary>
public static class RunReport
{
    public static void Write(RunDirectory run)
    {
        var config = File.Exists(run.Config) ? ConfigLoader.Load(run.Config) : null;
        var task = config is null ? null : TaskRegistry.Get(TaskRegistry.NameFor(config));
        var page = new HtmlPage($"Podium run {config?.Name ?? Path.GetFileName(run.Root)}");
        if (File.Exists(run.Summary))
        {
            using var summary = JsonDocument.Parse(File.ReadAllText(run.Summary));
            var s = summary.RootElement;
            if (task is not null && s.TryGetProperty("best", out var best) && best.ValueKind == JsonValueKind.Object)
                page.Raw(task.Headline(s.GetProperty("best_epoch").GetInt32(), best));
            page.Paragraph($"{s.GetProperty("epochs_done")} epochs in {s.GetProperty("total_seconds")} s " +
                           $"(mean {s.GetProperty("mean_epoch_seconds")} s per epoch).");
        }
        page.Image(run.CurvesPlot, "Loss and learning rate per step");
        page.Image(Path.Combine(run.Plots, "validation.png"), "Per epoch");
        page.Image(Path.Combine(run.Plots, "class_distribution.png"), "Classes seen per epoch");
        if (File.Exists(run.Epochs)) page.Table(File.ReadAllLines(run.Epochs).Select(l => l.Split(',')).ToList(), "Epochs");
        task?.Report(run, page);
        if (File.Exists(run.Skipped)) page.Heading("Skipped inputs").Pre(File.ReadAllText(run.Skipped));
        if (File.Exists(run.Config)) page.Heading("Config (resolved)").Pre(File.ReadAllText(run.Config));
        page.Save(run.Report);
    }
}
