using Podium.Platform;
using System.Diagnostics;
using Podium.Data;
using Podium.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// Result of validating once: log loss, accuracy and macro F1 (for multi-label data: the mean binary log loss,
/// subset accuracy and label-wise macro F1 at 0.5), named metrics asked for, the predictions (classification), and for
/// single-label data the hard-prediction summary (confusion matrix, per class scores).
/// </summary>
public sealed record Validation(double Loss, double Accuracy, double F1Macro, IReadOnlyDictionary<string, double> Named, Predictions? Predictions = null, ClassificationMetrics? Summary = null);

/// <summary>
/// Owns the training loop: per step the lr is set from the schedule, the batch goes forward and
/// backward, and callbacks see the step; per epoch the model is validated and callbacks decide
/// what to log and save. Every tensor of a step lives in that step's dispose scope, so native
/// memory stays flat across epochs.
/// </summary>
public sealed class Trainer(TrainerState state, Optimizers.Optimizer optimizer, LrSchedule schedule,
    ITrainingTask task, Device device, IReadOnlyList<ITrainerCallback> callbacks,
    ModelEma? ema = null, Tracking.RunDirectory? resumeCheckpoints = null, MixedPrecision? precision = null)
{
    private readonly DivergenceGuard _guard = new(state.Config.Train.DivergenceFactor);

    public TrainerState State { get; } = state;

    /// <summary>Everything with state a resumed run must restore, by a stable key.</summary>
    public Dictionary<string, IResumable> Resumables()
    {
        var parts = new Dictionary<string, IResumable> { ["schedule"] = schedule, ["divergence_guard"] = _guard };
        foreach (var c in callbacks.OfType<IResumable>()) parts[c.GetType().Name] = c;
        if (precision is not null) parts["precision"] = precision;
        return parts;
    }

    /// <summary>Restores the last complete epoch saved in <paramref name="dir"/> (optimizer, EMA, schedule, callbacks, counters); a finished run has nothing to resume.</summary>
    public void ResumeFrom(string dir, Action<string> log)
    {
        ResumeCheckpoint.Load(dir, State, optimizer, ema, Resumables());
        if (State.Epoch >= State.Epochs || State.StopReason is not null)
            throw new PodiumException($"{resumeCheckpoints?.Root ?? dir}: finished ({State.Epoch} of {State.Epochs} epochs{(State.StopReason is null ? "" : ", stopped early")}); nothing to resume");
        log($"resuming after epoch {State.Epoch} of {State.Epochs} (step {State.Step}, best epoch {State.BestEpoch})");
    }

    /// <summary>Trains from the epoch after <see cref="TrainerState.Epoch"/> (0 for a fresh run, the checkpoint's for a resumed one).</summary>
    public void Fit(BatchLoader train, BatchLoader val)
    {
        var model = State.Model;
        var forward = precision?.Model ?? model; // the fp32 master itself, or the path through a low-precision copy
        var t = State.Config.Train;
        var parameters = model.parameters().ToArray(); // clipping skips those without a gradient (frozen)
        State.LossParts = task.LossParts;
        // A deterministic run keeps one thread count (a different count sums in another order); otherwise the cores are shared with other trainings.
        int? fixedThreads = t.Threads > 0 ? t.Threads : State.Config.Deterministic ? Platform.CoreShare.Cores : null;
        using var cores = Platform.CoreShare.Join(fixedThreads);
        foreach (var c in callbacks) c.OnFitStart(State);
        for (int epoch = State.Epoch + 1; epoch <= State.Epochs && State.StopReason is null; epoch++)
        {
            State.Epoch = epoch;
            // Dropout and other in-model randomness restart from a seed per epoch: a resumed run draws the same.
            manual_seed(BatchLoader.SeedFor(State.Config.Seed, epoch, -5));
            foreach (var c in callbacks) c.OnEpochStart(State);
            var clock = Stopwatch.StartNew();
            model.train();
            forward.train();
            double lossSum = 0, waitMs = 0;
            int batches = 0;
            double lr = 0;
            foreach (var batch in train.Epoch(epoch))
            {
                cores.Refresh();
                var stepClock = Stopwatch.StartNew();
                // An update every `accumulate` batches; the window's losses are averaged (the last window may be short).
                int inWindow = batches % State.Accumulate;
                int window = Math.Min(State.Accumulate, State.StepsPerEpoch - (batches - inWindow));
                if (inWindow == 0)
                {
                    lr = schedule.LearningRate(State.Updates);
                    optimizer.Set(lr, schedule.Momentum(State.Updates));
                    optimizer.ZeroGrad();
                    precision?.BeginUpdate();
                }
                double value;
                IReadOnlyList<double>? parts;
                using (NewDisposeScope())
                {
                    var (output, stepParts) = task.StepLoss(forward, batch, train, device, epoch, State.Step);
                    parts = stepParts;
                    var objective = window == 1 ? output : output.Over(window);
                    (precision is null ? objective : precision.ScaleLoss(objective)).backward();
                    precision?.CollectGradients();
                    if (inWindow == window - 1)
                    {
                        // An fp16 update whose gradients overflowed is skipped (the loss scale halves).
                        if (precision?.ReadyToStep() ?? true)
                        {
                            if (t.ClipGrad.Norm is { } norm) nn.utils.clip_grad_norm_(parameters, norm);
                            if (t.ClipGrad.Value is { } limit) nn.utils.clip_grad_value_(parameters, limit);
                            optimizer.Step();
                            ema?.Update();
                        }
                        State.Updates++;
                    }
                    value = output.item<float>();
                }
                if (_guard.Check(value) is { } problem)
                    throw new PodiumException($"training diverged: {problem} at step {State.Step} (epoch {epoch}, lr {lr:G3}); lower train.optimizer.lr or clip gradients (train.clip_grad.norm)");
                lossSum += value;
                waitMs += batch.WaitMs;
                batches++;
                var record = new StepRecord(State.Step, epoch, lr, value, batch.WaitMs, stepClock.Elapsed.TotalMilliseconds, batch.DecodeMs, batch.AugmentMs, parts);
                State.Step++;
                foreach (var c in callbacks) c.OnStep(State, record);
            }

            // With EMA, the averaged weights are validated and checkpointed; the live ones are back
            // before they are saved for resuming and training goes on.
            using (ema?.Apply())
            {
                precision?.BeginUpdate(); // the copy validates the weights being checkpointed
                var v = task.Validate(forward, val, device, epoch);
                var epochRecord = new EpochRecord(epoch, batches == 0 ? double.NaN : lossSum / batches, v.Loss, v.Accuracy,
                    v.F1Macro, clock.Elapsed.TotalSeconds, waitMs / 1000, ResidentMb(), v.Named.ToDictionary(m => "val_" + m.Key, m => m.Value));
                UpdateBest(epochRecord);
                if (schedule is IMetricDriven driven && State.Config.Train.Scheduler.Metric is { } metric) driven.Observe(epoch, Metric(epochRecord, metric));
                State.History.Add(epochRecord);
                foreach (var c in callbacks) c.OnEpochEnd(State, epochRecord);
            }
            if (resumeCheckpoints is not null) ResumeCheckpoint.Save(resumeCheckpoints, State, optimizer, ema, Resumables());
        }
        foreach (var c in callbacks) c.OnFitEnd(State);
    }

    public static Validation Validate(nn.Module<Tensor, Tensor> model, BatchLoader val, Device device, int numClasses, IReadOnlyList<string>? named = null) =>
        Score(Predictor.Predict(model, val, device, numClasses, val.Data.MultiLabel), val.Data, named);

    /// <summary>The log loss, hard-prediction summary and named metrics of predictions of labelled data.</summary>
    public static Validation Score(Predictions predictions, ImageDataset data, IReadOnlyList<string>? named = null)
    {
        if (data.MultiLabel)
        {
            var tags = MultiLabelMetrics.Truth(data, predictions.Indices);
            double M(string name) => MultiLabelMetrics.Compute(name, tags, predictions.Probabilities);
            return new Validation(M("log_loss"), M("accuracy"), M("f1_macro"), (named ?? []).ToDictionary(m => m, M), predictions, null);
        }
        var truth = predictions.Indices.Select(data.Label).ToArray();
        var metrics = new ClassificationMetrics(truth, predictions.Predicted, data.Classes);
        var values = (named ?? []).ToDictionary(m => m, m => Evaluation.Metrics.Compute(m, truth, predictions.Probabilities));
        return new Validation(ClassificationMetrics.LogLoss(predictions.Probabilities, truth), metrics.Accuracy, metrics.F1Macro, values, predictions, metrics);
    }

    /// <summary>The configured metrics (train.metric, train.metrics) that epochs.csv has no fixed column for.</summary>
    public static IReadOnlyList<string> ExtraMetrics(Config.TrainConfig t) =>
        new[] { t.Metric }.Concat(t.Metrics).Where(m => m is not ("accuracy" or "f1_macro" or "log_loss")).Distinct().ToList();

    /// <summary>What an epoch can be judged by (train.monitor, scheduler.metric): the fixed columns and val_ + each configured metric.</summary>
    public static IEnumerable<string> EpochMetricNames(Config.TrainConfig t) =>
        new[] { "val_accuracy", "val_f1_macro", "val_loss", "val_log_loss", "train_loss" }.Concat(ExtraMetrics(t).Select(m => "val_" + m));

    /// <summary>Losses (and calibration error, Hamming loss) are minimised, every other metric maximised.</summary>
    public static bool LowerIsBetter(string metric)
    {
        var bare = metric.StartsWith("val_", StringComparison.Ordinal) ? metric[4..] : metric;
        return metric.EndsWith("loss", StringComparison.Ordinal) || (Evaluation.Metrics.Names.TryGetValue(bare, out var lower) && lower)
            || (MultiLabelMetrics.Names.TryGetValue(bare, out var lowerMulti) && lowerMulti);
    }

    /// <summary>A logged per-epoch metric by its name in epochs.csv.</summary>
    public static double Metric(EpochRecord r, string name) => name switch
    {
        "val_loss" or "val_log_loss" => r.ValLoss,
        "val_f1_macro" => r.ValF1Macro,
        "train_loss" => r.TrainLoss,
        "val_accuracy" => r.ValAccuracy,
        _ => r.Extra is not null && r.Extra.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"{name} was not computed"),
    };

    private void UpdateBest(EpochRecord r)
    {
        var monitor = State.Config.Train.MonitorName();
        double value = Metric(r, monitor);
        State.IsBestEpoch = double.IsNaN(State.BestValue) || (LowerIsBetter(monitor) ? value < State.BestValue : value > State.BestValue);
        if (!State.IsBestEpoch) return;
        State.BestValue = value;
        State.BestEpoch = r.Epoch;
        State.BestRecord = r;
    }

    public static double ResidentMb()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64 / (1024.0 * 1024.0);
    }
}

/// <summary>
/// Stops a run that has gone wrong, naming the step: a NaN/inf loss, or (factor > 0) a smoothed loss
/// that has climbed to factor × its best after the first 20 steps (a too-high lr blowing up).
/// </summary>
public sealed class DivergenceGuard(double factor) : IResumable
{
    public System.Text.Json.Nodes.JsonNode? SaveState() => new System.Text.Json.Nodes.JsonObject
    {
        ["average"] = _average, ["best"] = _best == double.MaxValue ? null : _best, ["seen"] = _seen,
    };

    public void LoadState(System.Text.Json.Nodes.JsonNode? state)
    {
        if (state is null) return;
        _average = state["average"]!.GetValue<double>();
        _best = state["best"]?.GetValue<double>() ?? double.MaxValue;
        _seen = state["seen"]!.GetValue<long>();
    }

    private double _average, _best = double.MaxValue;
    private long _seen;

    /// <summary>The problem with this step's loss, or null when it is fine.</summary>
    public string? Check(double loss)
    {
        if (!double.IsFinite(loss)) return $"loss is {loss}";
        _seen++;
        _average = 0.9 * _average + 0.1 * loss;
        double smoothed = _average / (1 - Math.Pow(0.9, _seen));
        if (_seen > 20 && factor > 0 && smoothed > factor * _best)
            return $"the smoothed loss {smoothed:G4} is over {factor:G3}x its best ({_best:G4})";
        if (_seen >= 5) _best = Math.Min(_best, smoothed);
        return null;
    }
}
