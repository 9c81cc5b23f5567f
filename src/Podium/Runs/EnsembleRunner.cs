using System.Text.Json.Nodes;
using Podium.Config;
using Podium.Evaluation;
using Podium.IO;
using Podium.Tracking;

namespace Podium.Runs;

/// <summary>
/// podium ensemble: members are runs (their predictions/val.csv and predictions/test.csv) or cv folders
/// (oof.csv and test.csv); the labelled validation predictions score each member and the ensemble and fit
/// weights or a stacker; the test predictions make the submission.
/// </summary>
public static class EnsembleRunner
{
    public static EnsembleResult Run(IReadOnlyList<string> members, string method, string? metric, string outPath, string? samplePath,
        Action<string> log)
    {
        if (!Ensembles.Methods.Contains(method)) throw new PodiumException($"--method {method}: expected " +
            $"{string.Join(", ", Ensembles.Methods)}");
        if (members.Count < 2 && method != "stack") throw new PodiumException("ensemble: give at least two runs or cv folders");
        var (vals, tests, submission) = (new List<PredictionFile>(), new List<PredictionFile>(), new SubmissionConfig());
        foreach (var m in members)
        {
            var (val, test, config) = Locate(m);
            vals.Add(PredictionFile.Read(val).SingleLabel(val, "podium ensemble"));
            if (test is not null && File.Exists(test)) tests.Add(PredictionFile.Read(test).SingleLabel(test, "podium ensemble"));
            metric ??= config.Train.Metric;
            if (members[0] == m) submission = config.Submission;
        }
        metric ??= "accuracy";
        if (!vals.All(v => v.Labelled)) throw new PodiumException("ensemble: a member's validation predictions have no labels");
        if (vals.Any(v => !v.Classes.SequenceEqual(vals[0].Classes)))
            throw new PodiumException("ensemble: the members predict different classes");
        vals = vals.Select((v, i) => v.Align(vals[0].Paths,
            $"{members[i]} validation predictions (the members must be validated on the same images: the same split or k-fold OOF)"))
            .ToList();
        var scores = vals.Select((v, i) => (members[i], Metrics.Compute(metric, v.Labels, v.Probabilities))).ToList();

        double[]? weights = null;
        Ensembles.Stacker? stacker = null;
        PredictionFile Combine(IReadOnlyList<PredictionFile> files) => method switch
        {
            "soft" => Ensembles.Mean(files),
            "hard" => Ensembles.Hard(files),
            "rank" => Ensembles.Rank(files),
            "weighted" => Ensembles.Weighted(files, weights!),
            _ => stacker!.Predict(files),
        };
        if (method == "weighted") weights = Ensembles.FitWeights(vals, metric);
        if (method == "stack") stacker = Ensembles.Stacker.Fit(vals);
        // Stacking is scored on validation predictions it did not fit (5-fold within them); fitted weights are not.
        var scored = method == "stack" ? Ensembles.CrossValidatedStack(vals, 5, 0) : Combine(vals);
        double score = Metrics.Compute(metric, scored.Labels, scored.Probabilities);

        string? probabilities = null, written = null;
        if (tests.Count == members.Count)
        {
            if (tests.Any(t => !t.Classes.SequenceEqual(vals[0].Classes))) throw new PodiumException("ensemble: the members' test " +
                "predictions have other classes");
            tests = tests.Select((t, i) => t.Align(tests[0].Paths, $"{members[i]} test predictions")).ToList();
            var ensemble = Combine(tests);
            probabilities = Path.ChangeExtension(Path.GetFullPath(outPath), ".probabilities.csv");
            ensemble.Write(probabilities);
            SubmissionWriter.Write(outPath, ensemble, submission, samplePath);
            written = Path.GetFullPath(outPath);
        }
        else log($"ensemble: {members.Count - tests.Count} of {members.Count} members have no test predictions (podium predict writes " +
            $"them); no submission written");
        var result = new EnsembleResult(method, metric, scores, score, method == "weighted", weights, probabilities, written);
        AtomicFile.WriteAllText(Path.ChangeExtension(Path.GetFullPath(outPath), ".ensemble.json"), new JsonObject
        {
            ["method"] = method,
            ["metric"] = metric,
            ["score"] = score,
            ["members"] = new JsonArray(scores.Select(s => (JsonNode)new JsonObject
            {
                ["member"] = s.Item1,
                ["score"] = s.Item2
            }).ToArray()),
            ["weights"] = weights is null ? null : new JsonArray(weights.Select(w => (JsonNode)w).ToArray()),
        }.ToJsonString(JsonFiles.Options));
        return result;
    }

    /// <summary>A member's validation and test prediction files and the config facts it brings.</summary>
    private static (string Val, string? Test, PodiumConfig Config) Locate(string member)
    {
        if (File.Exists(Path.Combine(member, "cv.json")))
        {
            var metric = JsonNode.Parse(File.ReadAllText(Path.Combine(member, "cv.json")))?["metric"]?.GetValue<string>();
            var fold0 = Path.Combine(member, "fold0", "config.yaml");
            var config = File.Exists(fold0) ? ConfigLoader.Load(fold0) : new PodiumConfig();
            if (metric is not null) config = config with { Train = config.Train with { Metric = metric } };
            return (Path.Combine(member, "oof.csv"), Path.Combine(member, "test.csv"), config);
        }
        var run = RunDirectory.Open(member);
        if (!File.Exists(run.ValPredictions)) throw new PodiumException($"{member}: no " +
            $"{Path.GetRelativePath(member, run.ValPredictions)} (podium evaluate --run {member} writes it)");
        return (run.ValPredictions, Path.Combine(run.PredictionsDir, "test.csv"), ConfigLoader.Load(run.Config));
    }
}
