using System.Globalization;
using Podium.Config;
using Podium.Tracking;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>The range test's curve and what it suggests.</summary>
public sealed record LrFinderResult(double[] Lrs, double[] Losses, double[] Smoothed, double Suggested, double MinLossLr, bool StoppedEarly, string Csv, string Plot);

/// <summary>
/// The learning-rate range test (Smith 2015; fastai's lr_find): train from the config's start for a
/// few hundred steps while the lr grows exponentially from <c>start</c> to <c>end</c>, and record the
/// smoothed loss. The suggestion is the lr where the smoothed loss falls fastest (steepest negative
/// slope against log lr, before the minimum); the lr at the minimum, divided by ten, is the classic
/// rule of thumb and is reported too. Stops when the loss explodes (4x its best). The model is not saved.
/// </summary>
public static class LrFinder
{
    public static LrFinderResult Run(PodiumConfig config, string outDir, double start, double end, int steps, Action<string> log)
    {
        if (!(start > 0 && end > start)) throw new PodiumException($"lr-find: the range {start:G3}..{end:G3} must be positive and increasing");
        if (steps < 10) throw new PodiumException($"lr-find: --steps {steps}: at least 10");
        var (device, _, model, loader, optimizer, loss) = TrainingRun.Build(config, log);
        var lrs = new List<double>();
        var losses = new List<double>();
        var smoothed = new List<double>();
        double average = 0, best = double.MaxValue;
        bool exploded = false;
        model.train();
        WorkProgress.Run("lr range test", steps, report =>
        {
            for (int epoch = 1; lrs.Count < steps && !exploded; epoch++)
                foreach (var batch in loader.Epoch(epoch))
                {
                    int i = lrs.Count;
                    double lr = start * Math.Pow(end / start, i / (double)(steps - 1));
                    optimizer.Set(lr, null);
                    double value;
                    using (NewDisposeScope())
                    {
                        var x = tensor(batch.Pixels, batch.Shape, device: device);
                        var y = tensor(batch.Labels, device: device);
                        loader.Recycle(batch);
                        var output = loss.forward(model.forward(x), y);
                        optimizer.ZeroGrad();
                        output.backward();
                        optimizer.Step();
                        value = output.item<float>();
                    }
                    lrs.Add(lr);
                    losses.Add(value);
                    // Bias-corrected exponential moving average, as fastai smooths it.
                    average = 0.98 * average + 0.02 * value;
                    double s = average / (1 - Math.Pow(0.98, i + 1));
                    smoothed.Add(s);
                    report(i + 1);
                    if (i > 0 && (!double.IsFinite(s) || s > 4 * best)) { exploded = true; break; }
                    best = Math.Min(best, s);
                    if (lrs.Count >= steps) break;
                }
            return 0;
        });

        int minAt = smoothed.IndexOf(smoothed.Where(double.IsFinite).Min());
        int steepest = Steepest(lrs, smoothed, minAt);
        Directory.CreateDirectory(outDir);
        var csv = Path.Combine(outDir, "lr_find.csv");
        AtomicFile.WriteAllLines(csv, ["step,lr,loss,smoothed_loss", .. lrs.Select((lr, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{i},{lr:G6},{losses[i]:G6},{smoothed[i]:G6}"))]);
        var plot = Path.Combine(outDir, "lr_find.png");
        Plots.LrRangeTest(lrs, losses, smoothed, lrs[steepest], lrs[minAt] / 10, plot);
        return new LrFinderResult([.. lrs], [.. losses], [.. smoothed], lrs[steepest], lrs[minAt], exploded, csv, plot);
    }

    /// <summary>Index of the most negative slope of the smoothed loss against log lr, among the points before the minimum (skipping the noisy first tenth).</summary>
    public static int Steepest(IReadOnlyList<double> lrs, IReadOnlyList<double> smoothed, int minAt)
    {
        int from = Math.Max(1, lrs.Count / 10), to = Math.Max(from + 1, minAt);
        int best = Math.Min(minAt, lrs.Count - 1);
        double steepest = double.MaxValue;
        for (int i = from; i < Math.Min(to, lrs.Count - 1); i++)
        {
            double slope = (smoothed[i + 1] - smoothed[i - 1]) / (Math.Log(lrs[i + 1]) - Math.Log(lrs[i - 1]));
            if (slope < steepest) (steepest, best) = (slope, i);
        }
        return best;
    }
}
