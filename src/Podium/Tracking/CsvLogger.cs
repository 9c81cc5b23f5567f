using System.Globalization;
using Podium.IO;
using Podium.Training;
using static Podium.Platform.Invariant;

namespace Podium.Tracking;

/// <summary>
/// A run's CSV record: metrics.csv (a row per step: loss, its parts, lr, data wait and step times) and epochs.csv (a row
/// per epoch: training loss, the task's validation metrics, time, data wait, memory), flushed as they grow.
/// </summary>
public sealed class CsvLogger(RunDirectory run) : IRunLogger, IDisposable
{
    private StreamWriter? _steps, _epochs;
    private IReadOnlyList<string> _metrics = [];

    public void Start(RunStart start)
    {
        _steps = Open(run.Metrics, string.Join(',',
            ["step,epoch,lr,loss,data_wait_ms,step_ms,decode_ms,augment_ms", .. start.LossParts.Select(StepRecord.PartColumn)]),
            start.ResumedAfterEpoch);
        _metrics = start.Metrics.Select(m => m.Column).ToList();
        _epochs = Open(run.Epochs, string.Join(',', ["epoch,train_loss", .. _metrics, "seconds,data_wait_seconds,rss_mb"]),
            start.ResumedAfterEpoch);
    }

    /// <summary>A fresh log, or for a resumed run the old one cut back to the rows of the epochs it resumes after (the killed epoch's rows
    /// go).</summary>
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

    public void Step(StepRecord s) =>
        _steps!.WriteLine(F($"{s.Step},{s.Epoch},{s.Lr:G6},{s.Loss:G6},{s.DataWaitMs:F2},{s.StepMs:F1},{s.DecodeMs:F1},{s.AugmentMs:F1}")
            + string.Concat((s.Parts ?? []).Select(p => "," + p.ToString("G6", CultureInfo.InvariantCulture))));

    public void Epoch(EpochRecord e, bool best) =>
        _epochs!.WriteLine(F($"{e.Epoch},{e.TrainLoss:G6}")
            + string.Concat(_metrics.Select(m => "," + (e.Metrics.TryGetValue(m, out var v) ? v : double.NaN).ToString("G6",
                CultureInfo.InvariantCulture)))
            + F($",{e.Seconds:F2},{e.DataWaitSeconds:F2},{e.RssMb:F0}"));

    public void Finish(RunEnd end) => Dispose();

    public void Dispose()
    {
        _steps?.Dispose();
        _epochs?.Dispose();
        _steps = _epochs = null;
    }

}
