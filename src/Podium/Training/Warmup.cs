namespace Podium.Training;

/// <summary>
/// Linear warm-up over the first <paramref name="steps"/> steps to where the inner schedule takes over:
/// with <paramref name="shift"/> the inner schedule then runs from its own 0, else from the step reached.
/// </summary>
public sealed class Warmup(LrSchedule inner, long steps, bool shift) : LrSchedule, IMetricDriven
{
    private long Inner(long step) => shift ? Math.Max(0, step - steps) : Math.Max(step, steps);
    public override double LearningRate(long step) => step < steps ? inner.LearningRate(Inner(step)) * (step
        + 1) / steps : inner.LearningRate(Inner(step));
    public override double? Momentum(long step) => inner.Momentum(Inner(step));
    public void Observe(int epoch, double value) => (inner as IMetricDriven)?.Observe(epoch, value);
    public override System.Text.Json.Nodes.JsonNode? SaveState() => inner.SaveState();
    public override void LoadState(System.Text.Json.Nodes.JsonNode? state) => inner.LoadState(state);
}
