using System.Diagnostics;
using Podium.Data;
using Podium.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>Result of validating once.</summary>
public sealed record Validation(double Loss, ClassificationMetrics Metrics, Predictions Predictions);

/// <summary>
/// Owns the training loop: per step the lr is set from the schedule, the batch goes forward and
/// backward, and callbacks see the step; per epoch the model is validated and callbacks decide
/// what to log and save. Every tensor of a step lives in that step's dispose scope, so native
/// memory stays flat across epochs.
/// </summary>
public sealed class Trainer(TrainerState state, OptimizerControl optimizer, LrSchedule schedule,
    nn.Module<Tensor, Tensor, Tensor> loss, Device device, IReadOnlyList<ITrainerCallback> callbacks, Augment.BatchMixer? mixer = null)
{
    public TrainerState State { get; } = state;

    public void Fit(BatchLoader train, BatchLoader val)
    {
        var model = State.Model;
        foreach (var c in callbacks) c.OnFitStart(State);
        for (int epoch = 1; epoch <= State.Epochs; epoch++)
        {
            State.Epoch = epoch;
            var clock = Stopwatch.StartNew();
            model.train();
            double lossSum = 0, waitMs = 0;
            int batches = 0;
            foreach (var batch in train.Epoch(epoch))
            {
                var stepClock = Stopwatch.StartNew();
                double lr = schedule.LearningRate(State.Step);
                optimizer.Set(lr, schedule.Momentum(State.Step));
                double value;
                using (NewDisposeScope())
                {
                    var x = tensor(batch.Pixels, batch.Shape, device: device);
                    var y = tensor(batch.Labels, device: device);
                    train.Recycle(batch);
                    var mixed = mixer?.Mix(x, y, epoch, State.Step);
                    var output = mixed is null
                        ? loss.forward(model.forward(x), y)
                        : Mixed(model.forward(mixed.Images), y, mixed);
                    optimizer.ZeroGrad();
                    output.backward();
                    optimizer.Step();
                    value = output.item<float>();
                }
                if (!double.IsFinite(value))
                    throw new PodiumException($"training diverged: loss is {value} at step {State.Step} (epoch {epoch}, lr {lr:G3}); lower train.optimizer.lr");
                lossSum += value;
                waitMs += batch.WaitMs;
                batches++;
                var record = new StepRecord(State.Step, epoch, lr, value, batch.WaitMs, stepClock.Elapsed.TotalMilliseconds, batch.DecodeMs, batch.AugmentMs);
                State.Step++;
                foreach (var c in callbacks) c.OnStep(State, record);
            }

            var v = Validate(model, val, device, State.Classes.Count);
            var epochRecord = new EpochRecord(epoch, batches == 0 ? double.NaN : lossSum / batches, v.Loss, v.Metrics.Accuracy,
                v.Metrics.F1Macro, clock.Elapsed.TotalSeconds, waitMs / 1000, ResidentMb());
            UpdateBest(epochRecord);
            if (schedule is IMetricDriven driven && State.Config.Train.Scheduler.Metric is { } metric) driven.Observe(epoch, Metric(epochRecord, metric));
            State.History.Add(epochRecord);
            foreach (var c in callbacks) c.OnEpochEnd(State, epochRecord);
        }
        foreach (var c in callbacks) c.OnFitEnd(State);
    }

    /// <summary>λ·L(y) + (1 − λ)·L(y_partner) for a MixUp/CutMix batch.</summary>
    private Tensor Mixed(Tensor logits, Tensor y, Augment.MixedBatch m) =>
        loss.forward(logits, y) * m.Lambda + loss.forward(logits, m.PartnerLabels) * (1 - m.Lambda);

    public static Validation Validate(nn.Module<Tensor, Tensor> model, BatchLoader val, Device device, int numClasses)
    {
        var predictions = Predictor.Predict(model, val, device, numClasses);
        var truth = predictions.Indices.Select(val.Data.Label).ToArray();
        var metrics = new ClassificationMetrics(truth, predictions.Predicted, val.Data.Classes);
        return new Validation(ClassificationMetrics.LogLoss(predictions.Probabilities, truth), metrics, predictions);
    }

    /// <summary>A logged per-epoch metric by its name in epochs.csv.</summary>
    public static double Metric(EpochRecord r, string name) => name switch
    {
        "val_loss" => r.ValLoss,
        "val_f1_macro" => r.ValF1Macro,
        "train_loss" => r.TrainLoss,
        _ => r.ValAccuracy,
    };

    private void UpdateBest(EpochRecord r)
    {
        var monitor = State.Config.Train.Monitor;
        var (value, higherIsBetter) = (Metric(r, monitor), !monitor.EndsWith("loss", StringComparison.Ordinal));
        State.IsBestEpoch = double.IsNaN(State.BestValue) || (higherIsBetter ? value > State.BestValue : value < State.BestValue);
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
