namespace Podium.Evaluation;

/// <summary>
/// Accuracy, per-class precision/recall/F1 and the confusion matrix of hard predictions, as
/// scikit-learn computes them (an undefined precision or recall counts as 0).
/// </summary>
public sealed class ClassificationMetrics
{
    /// <summary>Counts: row = true class, column = predicted class.</summary>
    public int[,] Confusion { get; }
    public IReadOnlyList<ClassScore> PerClass { get; }
    public double Accuracy { get; }
    public double F1Macro { get; }
    public int Count { get; }

    public ClassificationMetrics(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<string> classes)
    {
        if (truth.Count != predicted.Count) throw new ArgumentException("truth and predictions differ in length");
        int k = classes.Count;
        Confusion = new int[k, k];
        int correct = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            Confusion[truth[i], predicted[i]]++;
            if (truth[i] == predicted[i]) correct++;
        }
        Count = truth.Count;
        Accuracy = Count == 0 ? 0 : (double)correct / Count;
        var scores = new ClassScore[k];
        for (int c = 0; c < k; c++)
        {
            int tp = Confusion[c, c], support = 0, predictedAs = 0;
            for (int j = 0; j < k; j++) { support += Confusion[c, j]; predictedAs += Confusion[j, c]; }
            double precision = predictedAs == 0 ? 0 : (double)tp / predictedAs;
            double recall = support == 0 ? 0 : (double)tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            scores[c] = new ClassScore(classes[c], precision, recall, f1, support);
        }
        PerClass = scores;
        F1Macro = k == 0 ? 0 : scores.Average(s => s.F1);
    }

    /// <summary>
    /// Mean negative log-likelihood of the true class, as scikit-learn 1.2's log_loss: probabilities
    /// clipped to [ε, 1 − ε] (float64's machine epsilon) and each row renormalised to sum 1 (float32
    /// softmax rows miss 1 by a few ulps).
    /// </summary>
    public static double LogLoss(float[,] probabilities, IReadOnlyList<int> truth)
    {
        const double Eps = 2.220446049250313e-16;
        int k = probabilities.GetLength(1);
        double total = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            double sum = 0;
            for (int c = 0; c < k; c++) sum += Math.Clamp(probabilities[i, c], Eps, 1 - Eps);
            total -= Math.Log(Math.Clamp(probabilities[i, truth[i]], Eps, 1 - Eps) / sum);
        }
        return truth.Count == 0 ? 0 : total / truth.Count;
    }

    public static int[] ArgMax(float[,] probabilities)
    {
        int n = probabilities.GetLength(0), k = probabilities.GetLength(1);
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int c = 1; c < k; c++) if (probabilities[i, c] > probabilities[i, best]) best = c;
            result[i] = best;
        }
        return result;
    }
}
