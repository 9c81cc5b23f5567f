namespace Podium.Tasks.SelfSupervised;

/// <summary>A pretraining run's kept backbone judged on data.val (k-NN accuracy, Recall@1, MAP@R), or nothing without it.</summary>
public sealed record SelfSupervisedOutcome(IReadOnlyDictionary<string, double>? Validation) : TaskOutcome
{
    public override IReadOnlyDictionary<string, double> Figures => Validation?.ToDictionary(e => e.Key.Replace("val_", ""), e => e.Value)
        ?? new Dictionary<string, double>();
}
