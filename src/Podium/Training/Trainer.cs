using System.Diagnostics;
using Podium.Data;
using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// Owns the training loop: per step the lr is set from the schedule, the batch goes forward and backward, and callbacks
/// see the step; per epoch the task validates the model and callbacks decide what to log and save. Every tensor of a step
/// lives in that step's dispose scope, so native memory stays flat across epochs and no temporary is left to the
/// finalizer (see <see cref="Scalars"/>).
/// </summary>
public sealed class Trainer(TrainerState state, Device device, IReadOnlyList<ITrainerCallback> callbacks)
{
    public TrainerState State { get; } = state;

    /// <summary>Everything with state a resumed run must restore, by a stable key.</summary>
    public static Dictionary<string, IResumable> Resumables(TrainerState state)
    {
        var parts = new Dictionary<string, IResumable> { ["schedule"] = state.Schedule };
        if (state.Guard is not null) parts["divergence_guard"] = state.Guard;
        foreach (var c in state.Callbacks.OfType<IResumable>()) parts[c.GetType().Name] = c;
        return parts;
    }

    /// <summary>Trains from the epoch after <see cref="TrainerState.Epoch"/> (0 for a fresh run; a resume callback sets it at fit
    /// start).</summary>
    /// <param name="validate">false: no validation (the lr range test); epochs then record the training loss alone.</param>
    public void Fit<TBatch>(ITrainingTask<TBatch> task, BatchLoader<TBatch> train, bool validate = true) where TBatch : ImageBatch
    {
        var model = State.Model;
        var t = State.Config.Train;
        var parameters = model.parameters().ToArray(); // clipping skips those without a gradient (frozen)
        State.LossParts = task.LossParts;
        State.Metrics = task.Metrics;
        State.Callbacks = callbacks;
        State.Forward = model;
        if (State.Guard is not null) State.Guard.Factor = t.DivergenceFactor;
        foreach (var c in callbacks) c.OnFitStart(State);
        for (int epoch = State.Epoch + 1; epoch <= State.Epochs && State.StopReason is null && !State.StopNow; epoch++)
        {
            State.Epoch = epoch;
            // Dropout and other in-model randomness restart from a seed per epoch: a resumed run draws the same.
            manual_seed(Seeds.For(State.Config.Seed, epoch, -5));
            model.train();
            State.Forward.train();
            foreach (var c in callbacks) c.OnEpochStart(State); // after train(): a callback may keep parts in eval mode
            var clock = Stopwatch.StartNew();
            double lossSum = 0, waitMs = 0;
            int batches = 0;
            double lr = 0;
            foreach (var batch in train.Epoch(epoch))
            {
                var stepClock = Stopwatch.StartNew();
                // An update every `accumulate` batches; the window's losses are averaged (the last window may be short).
                int inWindow = batches % State.Accumulate;
                int window = Math.Min(State.Accumulate, State.StepsPerEpoch - (batches - inWindow));
                if (inWindow == 0)
                {
                    lr = State.Schedule.LearningRate(State.Updates);
                    State.Optimizer.Set(lr, State.Schedule.Momentum(State.Updates));
                    State.Optimizer.ZeroGrad();
                    foreach (var c in callbacks) c.OnUpdateStart(State);
                }
                double value;
                IReadOnlyList<double>? parts;
                using (NewDisposeScope())
                {
                    var (output, stepParts) = task.StepLoss(State.Forward, batch, device, epoch, State.Step);
                    train.Recycle(batch); // its tensors exist: the loader may refill its buffers
                    parts = stepParts;
                    // A loss without a graph learns nothing by gradient (a memory bank filled as it reads: PatchCore).
                    bool learns = output.requires_grad;
                    var objective = window == 1 ? output : output.Over(window);
                    if (learns)
                    {
                        foreach (var c in callbacks) objective = c.OnBackward(State, objective);
                        objective.backward();
                        foreach (var c in callbacks) c.OnAfterBackward(State);
                    }
                    if (learns && inWindow == window - 1)
                    {
                        bool step = true;
                        foreach (var c in callbacks) step &= c.OnBeforeOptimizerStep(State); // each is asked: fp16 counts clean steps
                        if (step)
                        {
                            if (t.ClipGrad.Norm is { } norm) nn.utils.clip_grad_norm_(parameters, norm);
                            if (t.ClipGrad.Value is { } limit) nn.utils.clip_grad_value_(parameters, limit);
                            State.Optimizer.Step();
                            foreach (var c in callbacks) c.OnAfterOptimizerStep(State);
                        }
                        State.Updates++;
                    }
                    value = output.item<float>();
                }
                if (State.Guard?.Check(value) is { } problem)
                    throw new PodiumException($"training diverged: {problem} at step {State.Step} (epoch {epoch}, lr {lr:G3}); lower " +
                        $"train.optimizer.lr or clip gradients (train.clip_grad.norm)");
                lossSum += value;
                waitMs += batch.WaitMs;
                batches++;
                var record = new StepRecord(State.Step, epoch, lr, value, batch.WaitMs, stepClock.Elapsed.TotalMilliseconds, batch.DecodeMs,
                    batch.AugmentMs, parts);
                State.Step++;
                foreach (var c in callbacks) c.OnStep(State, record);
                if (State.StopNow) break;
            }
            EndEpoch(task, epoch, batches == 0 ? double.NaN : lossSum / batches, clock, waitMs, validate);
        }
        foreach (var c in callbacks) c.OnFitEnd(State);
    }

    /// <summary>Validation inside the callbacks' scopes (with EMA, the averaged weights are validated and checkpointed), then the epoch's
    /// record.</summary>
    private void EndEpoch<TBatch>(ITrainingTask<TBatch> task, int epoch, double trainLoss, Stopwatch clock, double waitMs,
        bool validate) where TBatch : ImageBatch
    {
        var scopes = new List<IDisposable>();
        try
        {
            foreach (var c in callbacks) if (c.OnValidationStart(State) is { } scope) scopes.Add(scope);
            var metrics = validate ? task.Validate(State.Forward, device, epoch) : new Dictionary<string, double>();
            var record = new EpochRecord(epoch, trainLoss, metrics, clock.Elapsed.TotalSeconds, waitMs / 1000, ResidentMb());
            if (validate) UpdateBest(record);
            if (validate && State.Schedule is IMetricDriven driven && PlateauMetric() is { } metric)
                driven.Observe(epoch, record.Value(metric));
            State.History.Add(record);
            foreach (var c in callbacks) c.OnEpochEnd(State, record);
        }
        finally
        {
            for (int i = scopes.Count - 1; i >= 0; i--) scopes[i].Dispose();
        }
        foreach (var c in callbacks) c.OnEpochComplete(State);
    }

    private void UpdateBest(EpochRecord r)
    {
        var monitor = State.Monitor;
        double value = r.Value(monitor);
        State.IsBestEpoch = double.IsNaN(State.BestValue) || (State.HigherIsBetter(monitor)
            ? value > State.BestValue : value < State.BestValue);
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

    /// <summary>The metric a plateau schedule watches (filled in when the config was resolved).</summary>
    private string? PlateauMetric() =>
        (LrSchedule.Registry.Options(State.Config.Train.Scheduler, "train.scheduler") as ReduceOnPlateau.Options)?.Metric;
}
