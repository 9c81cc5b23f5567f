using System.Globalization;
using Podium.Reporting;
using Podium.Training;

namespace Podium.Tracking;

/// <summary>
/// class_distribution.csv: how many samples of each class the epoch's batches held (repeats
/// included), so a sampler's effect is seen, not assumed; plotted as shares per epoch.
/// </summary>
/// <param name="counts">Samples per class that an epoch's batches hold (the loader's count).</param>
public sealed class ClassDistributionLogger(RunDirectory run, Func<int, int[]> counts, string sampler,
    Action<string>? log = null) : ITrainerCallback
{
    private readonly List<double[]> _shares = [];

    public string CsvPath => Path.Combine(run.Root, "class_distribution.csv");

    public void OnFitStart(TrainerState state)
    {
        CsvLogger.Open(CsvPath, string.Join(',', ["epoch", .. state.Classes.Select(IO.Csv.Escape), "max_over_min"]), state.Epoch,
            epochColumn: 0).Dispose();
        foreach (var row in File.ReadLines(CsvPath).Skip(1).Select(l => l.Split(',')))
        {
            var seen = row[1..^1].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            _shares.Add(seen.Select(c => c / Math.Max(1, seen.Sum())).ToArray());
        }
    }

    public void OnEpochEnd(TrainerState state, EpochRecord epoch)
    {
        var seen = counts(epoch.Epoch);
        double total = Math.Max(1, seen.Sum());
        _shares.Add(seen.Select(c => c / total).ToArray());
        var present = seen.Where(c => c > 0).DefaultIfEmpty(1).ToArray();
        double ratio = (double)present.Max() / present.Min();
        File.AppendAllLines(CsvPath,
            [string.Join(',', [epoch.Epoch.ToString(CultureInfo.InvariantCulture),
            .. seen.Select(c => c.ToString(CultureInfo.InvariantCulture)), ratio.ToString("F3", CultureInfo.InvariantCulture)])]);
        if (epoch.Epoch == 1)
            log?.Invoke($"classes seen in epoch 1 ({sampler}): " +
                        string.Join(", ", state.Classes.Select((c, k) => $"{c} {seen[k]}")) + $" (max/min {ratio:F2})");
        Plots.ClassShares(_shares, state.Classes, Path.Combine(run.Plots, "class_distribution.png"));
    }
}
