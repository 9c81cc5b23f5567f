using System.Globalization;
using System.Text.Json;
using Podium.Training;
using static TorchSharp.torch;

namespace Podium.Tracking;

/// <summary>metrics.csv (a row per step) and epochs.csv (a row per epoch), flushed as they grow.</summary>
public sealed class CsvLogger(RunDirectory run) : ITrainerCallback, IDisposable
{
    private StreamWriter? _steps, _epochs;
    private List<string> _extra = [];

    public void OnFitStart(TrainerState state)
    {
        _steps = Open(run.Metrics, string.Join(',', ["step,epoch,lr,loss,data_wait_ms,step_ms,decode_ms,augment_ms", .. state.LossParts.Select(p => "loss_" + p)]), state.Epoch);
        _extra = Trainer.ExtraMetrics(state.Config.Train).Select(m => "val_" + m).ToList();
        _epochs = Open(run.Epochs, string.Join(',', ["epoch,train_loss,val_loss,val_accuracy,val_f1_macro,seconds,data_wait_seconds,rss_mb", .. _extra]), state.Epoch);
    }

    /// <summary>A fresh log, or for a resumed run the old one cut back to the rows of the epochs it resumes after (the killed epoch's rows go).</summary>
    public static StreamWriter Open(string path, string header, int resumedAfterEpoch, int epochColumn = -1)
    {
        if (resumedAfterEpoch > 0 && File.Exists(path))
        {
            var lines = File.ReadAllLines(path);
            int column = epochColumn >= 0 ? epochColumn : Array.IndexOf(lines[0].Split(','), "epoch");
            var kept = lines.Skip(1).Where(l => int.Parse(l.Split(',')[column], CultureInfo.InvariantCulture) <= resumedAfterEpoch);
            AtomicFile.WriteAllLines(path, [lines[0], .. kept]);
            return new StreamWriter(path, append: true) { AutoFlush = true };
        }
        var writer = new StreamWriter(path) { AutoFlush = true };
        writer.WriteLine(header);
        return writer;
    }

    public void OnStep(TrainerState state, StepRecord s) =>
        _steps!.WriteLine(Invariant($"{s.Step},{s.Epoch},{s.Lr:G6},{s.Loss:G6},{s.DataWaitMs:F2},{s.StepMs:F1},{s.DecodeMs:F1},{s.AugmentMs:F1}")
            + string.Concat((s.Parts ?? []).Select(p => "," + p.ToString("G6", CultureInfo.InvariantCulture))));

    public void OnEpochEnd(TrainerState state, EpochRecord e) =>
        _epochs!.WriteLine(Invariant($"{e.Epoch},{e.TrainLoss:G6},{e.ValLoss:G6},{e.ValAccuracy:G6},{e.ValF1Macro:G6},{e.Seconds:F2},{e.DataWaitSeconds:F2},{e.RssMb:F0}")
            + string.Concat(_extra.Select(m => "," + Trainer.Metric(e, m).ToString("G6", CultureInfo.InvariantCulture))));

    public void OnFitEnd(TrainerState state) => Dispose();

    public void Dispose()
    {
        _steps?.Dispose();
        _epochs?.Dispose();
        _steps = _epochs = null;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>checkpoints/last.pt every epoch and best.pt when the monitored metric improves; atomic writes.</summary>
public sealed class CheckpointSaver(RunDirectory run) : ITrainerCallback
{
    public void OnEpochEnd(TrainerState state, EpochRecord epoch)
    {
        Save(state.Model, run.LastCheckpoint);
        if (state.IsBestEpoch) Save(state.Model, run.BestCheckpoint);
    }

    public static void Save(nn.Module model, string path) => AtomicFile.Write(path, temp => model.save(temp));
}

/// <summary>Re-draws plots/curves.png (loss and lr per step) and plots/validation.png every epoch.</summary>
public sealed class CurvePlotter(RunDirectory run) : ITrainerCallback
{
    private readonly List<StepRecord> _steps = [];

    /// <summary>A resumed run's curve starts with the steps already logged.</summary>
    public void OnFitStart(TrainerState state)
    {
        if (state.Epoch == 0 || !File.Exists(run.Metrics)) return;
        foreach (var l in File.ReadLines(run.Metrics).Skip(1).Select(l => l.Split(',')))
        {
            double D(int i) => double.Parse(l[i], CultureInfo.InvariantCulture);
            _steps.Add(new StepRecord(long.Parse(l[0], CultureInfo.InvariantCulture), int.Parse(l[1], CultureInfo.InvariantCulture), D(2), D(3), D(4), D(5), D(6), D(7),
                l.Length > 8 ? [.. Enumerable.Range(8, l.Length - 8).Select(D)] : null));
        }
    }

    public void OnStep(TrainerState state, StepRecord step) => _steps.Add(step);

    public void OnEpochEnd(TrainerState state, EpochRecord epoch)
    {
        Plots.LossAndLearningRate(_steps, run.CurvesPlot, state.LossParts);
        Plots.Validation(state.History, Path.Combine(run.Plots, "validation.png"));
    }
}

/// <summary>summary.json: the best epoch and its metrics, totals, the environment.</summary>
public sealed class SummaryWriter(RunDirectory run, IReadOnlyDictionary<string, object> facts) : ITrainerCallback
{
    private readonly DateTime _start = DateTime.UtcNow;

    public static JsonSerializerOptions Json => JsonFiles.Options;

    public void OnEpochEnd(TrainerState state, EpochRecord epoch) => Write(state, finished: false);
    public void OnFitEnd(TrainerState state) => Write(state, finished: true);

    private void Write(TrainerState state, bool finished)
    {
        var summary = new Dictionary<string, object?>
        {
            ["finished"] = finished,
            ["epochs_done"] = state.History.Count,
            ["monitor"] = state.Config.Train.MonitorName(),
            ["best_epoch"] = state.BestEpoch,
            ["best"] = state.BestRecord,
            ["last"] = state.History.LastOrDefault(),
            ["total_seconds"] = Math.Round((DateTime.UtcNow - _start).TotalSeconds, 2),
            ["mean_epoch_seconds"] = state.History.Count == 0 ? 0 : Math.Round(state.History.Average(h => h.Seconds), 2),
            ["classes"] = state.Classes,
            ["parameters"] = state.Model.parameters().Sum(p => p.numel()),
            // How often .NET's GC ran (gen 0, 1, 2) in this process: large per-batch arrays show up as gen-2 collections.
            ["gc_collections"] = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) },
        };
        foreach (var (k, v) in facts) summary[k] = v;
        AtomicFile.WriteAllText(run.Summary, JsonSerializer.Serialize(summary, Json));
    }
}

/// <summary>
/// class_distribution.csv: how many samples of each class the epoch's batches held (repeats
/// included), so a sampler's effect is seen, not assumed; plotted as shares per epoch.
/// </summary>
public sealed class ClassDistributionLogger(RunDirectory run, Data.BatchLoader loader, Action<string>? log = null) : ITrainerCallback
{
    private readonly List<double[]> _shares = [];

    public string CsvPath => Path.Combine(run.Root, "class_distribution.csv");

    public void OnFitStart(TrainerState state)
    {
        CsvLogger.Open(CsvPath, string.Join(',', ["epoch", .. state.Classes.Select(Data.Csv.Escape), "max_over_min"]), state.Epoch, epochColumn: 0).Dispose();
        foreach (var row in File.ReadLines(CsvPath).Skip(1).Select(l => l.Split(',')))
        {
            var counts = row[1..^1].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            _shares.Add(counts.Select(c => c / Math.Max(1, counts.Sum())).ToArray());
        }
    }

    public void OnEpochEnd(TrainerState state, EpochRecord epoch)
    {
        var counts = loader.ClassCounts(epoch.Epoch);
        double total = Math.Max(1, counts.Sum());
        _shares.Add(counts.Select(c => c / total).ToArray());
        var present = counts.Where(c => c > 0).DefaultIfEmpty(1).ToArray();
        double ratio = (double)present.Max() / present.Min();
        File.AppendAllLines(CsvPath, [string.Join(',', [epoch.Epoch.ToString(CultureInfo.InvariantCulture), .. counts.Select(c => c.ToString(CultureInfo.InvariantCulture)), ratio.ToString("F3", CultureInfo.InvariantCulture)])]);
        if (epoch.Epoch == 1)
            log?.Invoke($"classes seen in epoch 1 ({loader.Sampler.Describe()}): " +
                        string.Join(", ", state.Classes.Select((c, k) => $"{c} {counts[k]}")) + $" (max/min {ratio:F2})");
        Plots.ClassShares(_shares, state.Classes, Path.Combine(run.Plots, "class_distribution.png"));
    }
}
