using System.Globalization;
using Podium.Config;
using Podium.IO;
using Podium.Platform;
using Podium.Reporting;
using Podium.Tasks;
using Podium.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Runs;

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
        if (!(start > 0 && end > start)) throw new PodiumException($"lr-find: the range {start:G3}..{end:G3} must be positive and " +
            $"increasing");
        if (steps < 10) throw new PodiumException($"lr-find: --steps {steps}: at least 10");
        config = ConfigResolver.Resolve(config);
        var task = TaskRegistry.Get(config.Task!);
        TorchRuntime.Configure(config.Train.Threads);
        var device = DeviceSelector.Resolve(config.Device);
        var prepared = task.Prepare(config, log);
        manual_seed(prepared.Config.Seed);
        var model = prepared.CreateModel();
        log(prepared.Describe(model));
        model.to(device);
        var optimizer = OptimizerFactory.Create(prepared.Config.Train.Optimizer, model.named_parameters());
        var state = new TrainerState
        {
            Config = prepared.Config,
            Model = model,
            Optimizer = optimizer,
            Classes = prepared.Data.Classes,
            StepsPerEpoch = prepared.StepsPerEpoch,
            Epochs = (steps + prepared.StepsPerEpoch - 1) / prepared.StepsPerEpoch,
            Schedule = new ExponentialRange(start, end, steps),
            Guard = null, // the test runs the loss up on purpose; the recorder stops it
        };
        var recorder = new LrRangeRecorder(steps);
        WorkProgress.Run("lr range test", steps, report =>
        {
            recorder.Report = report;
            using var cores = new CoreShareCallback();
            prepared.Fit(new Trainer(state, device, [cores, recorder]), device, log, validate: false);
            return 0;
        });

        var (lrs, losses, smoothed) = (recorder.Lrs, recorder.Losses, recorder.Smoothed);
        int minAt = smoothed.IndexOf(smoothed.Where(double.IsFinite).Min());
        int steepest = Steepest(lrs, smoothed, minAt);
        Directory.CreateDirectory(outDir);
        var csv = Path.Combine(outDir, "lr_find.csv");
        AtomicFile.WriteAllLines(csv, ["step,lr,loss,smoothed_loss", .. lrs.Select((lr, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{i},{lr:G6},{losses[i]:G6},{smoothed[i]:G6}"))]);
        var plot = Path.Combine(outDir, "lr_find.png");
        Plots.LrRangeTest(lrs, losses, smoothed, lrs[steepest], lrs[minAt] / 10, plot);
        return new LrFinderResult([.. lrs], [.. losses], [.. smoothed], lrs[steepest], lrs[minAt], recorder.Exploded, csv, plot);
    }

    /// <summary>lr = start · (end / start)^(i / (steps − 1)): the range test's exponential sweep, per step.</summary>
    private sealed class ExponentialRange(double start, double end, int steps) : LrSchedule
    {
        public override double LearningRate(long step) => start * Math.Pow(end / start, Math.Min(step, steps - 1) / (double)(steps - 1));
    }

    /// <summary>Records each step's lr and loss with fastai's bias-corrected smoothing; stops after the last step or when the loss explodes
    /// (4x its best).</summary>
    private sealed class LrRangeRecorder(int steps) : ITrainerCallback
    {
        private double _average, _best = double.MaxValue;
        public Action<int> Report { get; set; } = _ => { };
        public List<double> Lrs { get; } = [];
        public List<double> Losses { get; } = [];
        public List<double> Smoothed { get; } = [];
        public bool Exploded { get; private set; }

        public void OnStep(TrainerState state, StepRecord step)
        {
            int i = Lrs.Count;
            Lrs.Add(step.Lr);
            Losses.Add(step.Loss);
            _average = 0.98 * _average + 0.02 * step.Loss;
            double s = _average / (1 - Math.Pow(0.98, i + 1));
            Smoothed.Add(s);
            Report(i + 1);
            if (i > 0 && (!double.IsFinite(s) || s > 4 * _best)) Exploded = state.StopNow = true;
            _best = Math.Min(_best, s);
            if (Lrs.Count >= steps) state.StopNow = true;
        }
    }

    /// <summary>Index of the most negative slope of the smoothed loss against log lr, among the points before the minimum (skipping the
    /// noisy first tenth).</summary>
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
