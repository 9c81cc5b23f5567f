using Podium.Config;
using Podium.Training;

namespace Podium.Tests;

/// <summary>
/// Every scheduler's curve against PyTorch 1.13 (Debian's python3-torch): the lr of each interval as
/// torch.optim.lr_scheduler gives it with SGD(lr=0.1), stepping once per interval.
/// </summary>
public class ScheduleTests
{
    private static ComponentConfig Config(string yaml) => ConfigLoader.Parse($"data: {{train: x}}\ntrain:\n  scheduler: {yaml}\n",
        "s.yaml").Train.Scheduler;

    private static void Matches(LrSchedule s, double[] torch)
    {
        for (int t = 0; t < torch.Length; t++)
            Assert.True(Math.Abs(s.LearningRate(t) - torch[t]) <= 1e-5 * Math.Max(torch[t], 1e-12) + 1e-15,
                $"interval {t}: {s.LearningRate(t)} vs {torch[t]}");
    }

    [Fact]
    public void StepMultiStepExponentialPolynomialAndRestartsMatchPyTorch()
    {
        // StepLR(step_size=3, gamma=0.5)
        Matches(LrSchedule.Create(Config("{name: step, step_size: 3, gamma: 0.5, interval: step}"), 0.1, 10),
            [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125]);
        // MultiStepLR([2, 5, 7], 0.1)
        Matches(LrSchedule.Create(Config("{name: multistep, milestones: [2, 5, 7], gamma: 0.1, interval: step}"), 0.1, 9),
            [0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002, 0.0010000000000000002,
                0.00010000000000000003, 0.00010000000000000003]);
        // ExponentialLR(0.9)
        Matches(LrSchedule.Create(Config("{name: exponential, gamma: 0.9, interval: step}"), 0.1, 5),
            [0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, 0.06561000000000002]);
        // PolynomialLR(total_iters=6, power=2)
        Matches(LrSchedule.Create(Config("{name: polynomial, power: 2}"), 0.1, 6),
            [0.1, 0.06944444444444446, 0.04444444444444447, 0.02500000000000001, 0.011111111111111117, 0.0027777777777777775, 0.0, 0.0]);
        // CosineAnnealingWarmRestarts(T_0=3, T_mult=2, eta_min=0.001)
        Matches(LrSchedule.Create(Config("{name: cosine, cycle: 3, cycle_mult: 2, min_lr: 0.001}"), 0.1, 12),
            [0.1, 0.07525000000000001, 0.025750000000000012, 0.1, 0.09336825748732973, 0.07525000000000001, 0.0505, 0.025750000000000012,
                0.007631742512670284, 0.1, 0.09831332840130888, 0.09336825748732973]);
    }

    [Theory]
    // ReduceLROnPlateau(mode='min', factor=0.5, patience=2, threshold=1e-4, cooldown=1, min_lr=0.01)
    [InlineData("min", 0.5, 2, 1, 0.01, new[] { 1.0, 0.9, 0.95, 0.94, 0.93, 0.96, 0.97, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6 },
        new[] { 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025 })]
    // ReduceLROnPlateau(mode='max', factor=0.1, patience=1)
    [InlineData("max", 0.1, 1, 0, 0.0, new[] { 0.5, 0.6, 0.6, 0.59, 0.6, 0.7, 0.7, 0.7 },
        new[] { 0.1, 0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002 })]
    public void PlateauMatchesPyTorch(string mode, double factor, int patience, int cooldown, double minLr, double[] metrics,
        double[] torch)
    {
        var s = LrSchedule.Create(Config($"{{name: plateau, mode: {mode}, factor: {factor}, patience: {patience}, cooldown: {cooldown}, " +
            $"min_lr: {minLr}}}"), 0.1, 100, stepsPerEpoch: 10);
        for (int epoch = 0; epoch < metrics.Length; epoch++)
        {
            // Every step of the epoch uses the lr decided after the previous one.
            for (int k = 0; k < 10; k++) Assert.Equal(torch[epoch], s.LearningRate(epoch * 10 + k), 12);
            ((IMetricDriven)s).Observe(epoch + 1, metrics[epoch]);
        }
    }

    [Fact]
    public void EpochIntervalHoldsTheRateForAWholeEpochAndWarmupRamps()
    {
        var s = LrSchedule.Create(Config("{name: step, step_size: 2, gamma: 0.1}"), 1.0, totalSteps: 60, stepsPerEpoch: 10);
        Assert.Equal(1.0, s.LearningRate(19), 12);
        Assert.Equal(0.1, s.LearningRate(20), 12);
        Assert.Equal(0.01, s.LearningRate(59), 12);
        // warmup 0.25 of 8 intervals: 2 ramp steps to the schedule's start, then the schedule from its own start.
        var w = LrSchedule.Create(Config("{name: exponential, gamma: 0.5, warmup: 0.25, interval: step}"), 1.0, 8);
        Assert.Equal([0.5, 1.0, 1.0, 0.5, 0.25], Enumerable.Range(0, 5).Select(t => w.LearningRate(t)));
        // Names and values are checked when the config is resolved (the Create here binds it).
        Assert.Equal("train.scheduler: mode: unknown value 'up' (one of: min, max)",
            Assert.Throws<ConfigException>(() => LrSchedule.Create(Config("{name: plateau, mode: up}"), 1.0, 8)).Message);
        Assert.StartsWith("train.scheduler.name: unknown scheduler 'cosinus' (did you mean 'cosine'?",
            Assert.Throws<ConfigException>(() => LrSchedule.Create(Config("{name: cosinus}"), 1.0, 8)).Message);
    }
}
