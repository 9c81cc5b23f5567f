using System.Globalization;
using System.Text.Json;
using Podium.Evaluation;

namespace Podium.Tests;

public class StackingReferenceTests
{
    [Fact]
    public void StackerMatchesScikitLearnsLogisticRegression()
    {
        // scikit-learn: LogisticRegression(C=1, multinomial, intercept unpenalised) on the members' log-probabilities.
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestEnv.RepoRoot, "tests", "Podium.Tests", "Fixtures", "sklearn",
            "metrics.json"))).RootElement.GetProperty("stacking");
        var truth = reference.GetProperty("truth").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        string[] classes = ["a", "b", "c"];
        var paths = truth.Select((_, i) => $"img{i}.png").ToList();
        var members = reference.GetProperty("members").EnumerateArray().Select(m =>
        {
            var rows = m.EnumerateArray().Select(r => r.EnumerateArray().Select(v => float.Parse(v.GetString()!,
                CultureInfo.InvariantCulture)).ToArray()).ToList();
            var p = new float[rows.Count, 3];
            for (int i = 0; i < rows.Count; i++)
                for (int c = 0; c < 3; c++) p[i, c] = rows[i][c];
            return new PredictionFile(classes, paths, truth, p);
        }).ToList();
        var predicted = Ensembles.Stacker.Fit(members).Predict(members);
        var expected = reference.GetProperty("probabilities").EnumerateArray().Select(r => r.EnumerateArray().Select(v
            => v.GetDouble()).ToArray()).ToList();
        for (int i = 0; i < expected.Count; i++)
            for (int c = 0; c < 3; c++)
                Assert.True(Math.Abs(expected[i][c] - predicted.Probabilities[i, c]) < 1e-6,
                    $"row {i} class {c}: {predicted.Probabilities[i, c]} vs {expected[i][c]}");
    }
}
