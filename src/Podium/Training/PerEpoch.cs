namespace Podium.Training;

/// <summary>Evaluates a schedule once per epoch: step s uses the schedule's value at epoch s / stepsPerEpoch.</summary>
public sealed class PerEpoch(LrSchedule inner, long stepsPerEpoch) : LrSchedule, IMetricDriven
{
    public LrSchedule Inner { get; } = inner;
    public override double LearningRate(long step) => Inner.LearningRate(step / stepsPerEpoch);
    public override double? Momentum(long step) => Inner.Momentum(step / stepsPerEpoch);
    public void Observe(int epoch, double value) => (Inner as IMetricDriven)?.Observe(epoch, value);
    public override System.Text.Json.Nodes.JsonNode? SaveState() => Inner.SaveState();
    public override void LoadState(System.Text.Json.Nodes.JsonNode? state) => Inner.LoadState(state);
}
