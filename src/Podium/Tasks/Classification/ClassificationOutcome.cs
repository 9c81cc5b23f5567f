namespace Podium.Tasks.Classification;

/// <summary>A classification run's best checkpoint evaluated on its validation data.</summary>
public sealed record ClassificationOutcome(EvaluationResult Evaluation) : TaskOutcome
{
    public override IReadOnlyDictionary<string, double> Figures => Evaluation.Metrics;
}
