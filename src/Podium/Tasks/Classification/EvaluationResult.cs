using Podium.Evaluation;

namespace Podium.Tasks.Classification;

/// <summary>Metrics of a run's model on labelled data, as printed and saved in evaluation.json. For a multi-label run
/// accuracy is the subset accuracy, PerClass holds the labels at 0.5 and each Confusion row is a label's tn, fp, fn, tp.</summary>
public sealed record EvaluationResult(string Data, int Count, double Accuracy, double F1Macro, double LogLoss,
    IReadOnlyList<ClassScore> PerClass, int[][] Confusion, IReadOnlyList<string> Classes, IReadOnlyDictionary<string, double> Metrics,
        TtaGain? Tta = null);
