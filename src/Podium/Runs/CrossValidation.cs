using System.Globalization;
using System.Text.Json.Nodes;
using Podium.Config;
using Podium.Data;
using Podium.Evaluation;
using Podium.IO;
using Podium.Tracking;
using static Podium.Platform.Invariant;

namespace Podium.Runs;

/// <summary>
/// k-fold cross-validation (podium cv): one model per fold of a split file, each validated on its fold;
/// the out-of-fold predictions together give a score for the whole training set and the inputs for
/// ensemble weights, stacking and thresholds; the fold models' mean probabilities predict the test set.
/// The folds come from data.split when it is a k-fold file, else they are made (stratified, grouped when
/// the data has groups) from data.train, or from the train and val rows of a subset file, whose test rows
/// are then the held-out test. A fold whose run finished is not trained again, so an interrupted cv resumes.
/// </summary>
public static class CrossValidation
{
    public static CrossValidationResult Run(string configPath, IReadOnlyList<string> overrides, int folds, string outDir, string? testPath,
        string? tta, string? device, RunOptions options)
    {
        var log = options.Log;
        var config = ConfigLoader.Load(configPath, overrides);
        if (config.Data.MultiLabel)
            throw new PodiumException($"{configPath}: data.multi_label: podium cv drives single-label runs; train multi-label folds with " +
                $"data.split (podium split --multi-label --folds K) and data.fold");
        Directory.CreateDirectory(outDir);
        var (foldFile, k, heldOut) = Folds(config, folds, outDir, log);
        string metric = config.Train.Metric;
        var results = new List<FoldResult>();
        var oofParts = new List<PredictionFile>();
        var testParts = new List<PredictionFile>();
        ImageDataset? test = null;
        for (int f = 0; f < k; f++)
        {
            var runPath = Path.Combine(outDir, $"fold{f}");
            var run = new RunDirectory(runPath);
            if (Finished(run))
            {
                log($"fold {f}: finished before ({runPath}); using its results");
                if (!File.Exists(run.ValPredictions)) RunEvaluator.Evaluate(runPath, null, device, log);
            }
            else
            {
                log($"fold {f} of {k}: training ({runPath})");
                var foldConfig = ConfigLoader.Load(configPath, [.. overrides, $"data.split={foldFile}", $"data.fold={f}"]);
                if (device is not null) foldConfig = foldConfig with { Device = device };
                TrainingPipeline.ResumeOrTrain(foldConfig, runPath, options);
            }
            var oof = PredictionFile.Read(run.ValPredictions);
            oofParts.Add(oof);
            double score = Metrics.Compute(metric, oof.Labels, oof.Probabilities);
            double? testScore = null;
            test ??= TestData(config, heldOut, testPath);
            if (test is not null)
            {
                var p = PredictFold(runPath, test, tta, device, log);
                testParts.Add(p);
                if (p.Labelled) testScore = Metrics.Compute(metric, p.Labels, p.Probabilities);
            }
            results.Add(new FoldResult(f, runPath, oof.Count, score, testScore));
            log(F($"fold {f}: {metric} {score:F4} on {oof.Count} validation images") + (testScore is { } t
                ? F($", {t:F4} on test") : ""));
        }

        // Out of fold: every training image predicted by the model that did not train on it.
        var all = Concat(oofParts);
        var oofPath = Path.Combine(outDir, "oof.csv");
        all.Write(oofPath);
        double oofScore = Metrics.Compute(metric, all.Labels, all.Probabilities);
        double mean = results.Average(r => r.Metric);
        double std = Math.Sqrt(results.Sum(r => (r.Metric - mean) * (r.Metric - mean)) / Math.Max(1, results.Count - 1));

        string? testFile = null, submission = null;
        double? ensembleScore = null;
        if (testParts.Count > 0)
        {
            var order = testParts[0].Paths;
            var ensemble = Ensembles.Mean(testParts.Select(p => p.Align(order, "fold predictions")).ToList());
            testFile = Path.Combine(outDir, "test.csv");
            ensemble.Write(testFile);
            if (ensemble.Labelled) ensembleScore = Metrics.Compute(metric, ensemble.Labels, ensemble.Probabilities);
            submission = Path.Combine(outDir, "submission.csv");
            SubmissionWriter.Write(submission, ensemble, config.Submission, samplePath: null);
        }
        var result = new CrossValidationResult(metric, results, oofScore, mean, std, oofPath, testFile, ensembleScore, submission);
        Save(result, Path.Combine(outDir, "cv.json"));
        return result;
    }

    private static bool Finished(RunDirectory run) =>
        File.Exists(run.Summary) && JsonNode.Parse(File.ReadAllText(run.Summary))?["finished"]?.GetValue<bool>() == true;

    /// <summary>The k-fold split file to train from, its fold count, and the held-out test rows of a subset file (if any).</summary>
    private static (string File, int K, ImageDataset? HeldOut) Folds(PodiumConfig config, int folds, string outDir, Action<string> log)
    {
        var d = config.Data;
        ImageDataset pool;
        ImageDataset? heldOut = null;
        if (d.Split is not null)
        {
            var header = Csv.Read(d.Split).FirstOrDefault()?.Select(h => h.Trim().ToLowerInvariant()).ToArray() ?? [];
            if (header.Contains(SplitFile.FoldColumn))
            {
                // Fold −1 (pseudo-labels) trains in every fold and is no fold of its own.
                var known = Csv.Read(d.Split).Skip(1).Select(r => r[Array.IndexOf(header,
                    SplitFile.FoldColumn)].Trim()).Distinct().Count(f => !f.StartsWith('-'));
                log($"folds: {known} from {d.Split}");
                return (Path.GetFullPath(d.Split), known, null);
            }
            var split = SplitFile.Read(d.Split, null);
            var pseudoRows = (split.Pseudo ?? []).ToHashSet();
            pool = new DatasetView(split.Data, [.. split.Train, .. split.Val]);
            if (split.Test.Length > 0) heldOut = new DatasetView(split.Data, split.Test);
            log($"folds: {folds} over the {pool.Count - pseudoRows.Count} train and val rows of {d.Split}" + (pseudoRows.Count > 0
                ? $" (and {pseudoRows.Count} pseudo-labelled rows, training in every fold)" : "")
                + $"; its {split.Test.Length} test rows are the held-out test");
            if (pseudoRows.Count > 0) return (WriteFolds(pool, ((DatasetView)pool).Indices.Select(pseudoRows.Contains).ToArray(), folds,
                config.Seed, outDir), folds, heldOut);
        }
        else
        {
            var load = DatasetReader.Open(d.Train);
            if (load.Skipped.Count > 0) log($"skipped {load.Skipped.Count} inputs of {d.Train}: {load.SkipSummary()}");
            pool = load.Dataset;
            log($"folds: {folds} over the {pool.Count} images of {d.Train}");
        }
        return (WriteFolds(pool, new bool[pool.Count], folds, config.Seed, outDir), folds, heldOut);
    }

    /// <summary>folds.csv: stratified (grouped) folds of the pool; pseudo-labelled rows get fold −1 (training in every fold, never
    /// validated on).</summary>
    private static string WriteFolds(ImageDataset pool, bool[] pseudo, int folds, int seed, string outDir)
    {
        if (folds < 2) throw new PodiumException($"--folds {folds}: cross-validation needs at least 2 folds");
        var real = Enumerable.Range(0, pool.Count).Where(i => !pseudo[i]).ToArray();
        var labels = real.Select(pool.Label).ToArray();
        var groups = pool.Groups() is { } g ? real.Select(i => g[i]).ToArray() : null;
        var assignment = groups is not null ? Splits.StratifiedGroupKFold(labels, groups, folds, seed) : Splits.StratifiedKFold(labels,
            folds, seed);
        var values = Enumerable.Repeat("-1", pool.Count).ToArray();
        for (int j = 0; j < real.Length; j++) values[real[j]] = assignment[j].ToString(CultureInfo.InvariantCulture);
        var file = Path.GetFullPath(Path.Combine(outDir, "folds.csv"));
        SplitFile.Write(file, pool, SplitFile.FoldColumn, values!);
        return file;
    }

    private static ImageDataset? TestData(PodiumConfig config, ImageDataset? heldOut, string? testPath)
    {
        if (testPath is null) return heldOut;
        // Labelled when laid out as the classes (a CSV with labels, or class folders): then the ensemble is scored.
        bool labelled = File.Exists(testPath) || (Directory.Exists(testPath) && Directory.GetDirectories(testPath).Length > 0);
        return DatasetReader.Open(testPath, labelled: labelled).Enforce(config.Data.OnBadInput);
    }

    /// <summary>A fold model's probabilities for the test images (with TTA when asked).</summary>
    private static PredictionFile PredictFold(string runPath, ImageDataset test, string? tta, string? device, Action<string> log)
    {
        var rm = RunModel.Load(runPath, device);
        var data = Data.Loaders.Preprocess(test, rm.Config.Data);
        var pipeline = Augment.Pipelines.Val(rm.Config);
        var all = rm.PredictViews(data, pipeline, tta is null ? [] : TestTimeAugmentation.Pipelines(tta, pipeline).Select(v => v.Pipeline));
        var predictions = all.Count == 1 ? all[0] : TestTimeAugmentation.Merge(all, "mean");
        bool labelled = Enumerable.Range(0, data.Count).All(i => data.Label(i) >= 0);
        var file = PredictionFile.From(data, predictions, labelled);
        file.Write(Path.Combine(rm.Run.PredictionsDir, "test.csv"));
        return file;
    }

    private static PredictionFile Concat(IReadOnlyList<PredictionFile> parts)
    {
        int n = parts.Sum(p => p.Count), k = parts[0].Classes.Count, row = 0;
        var probabilities = new float[n, k];
        var labels = new int[n];
        var paths = new List<string>(n);
        foreach (var p in parts)
            for (int i = 0; i < p.Count; i++, row++)
            {
                paths.Add(p.Paths[i]);
                labels[row] = p.Labels[i];
                for (int c = 0; c < k; c++) probabilities[row, c] = p.Probabilities[i, c];
            }
        return new PredictionFile(parts[0].Classes, paths, labels, probabilities);
    }

    private static void Save(CrossValidationResult r, string path) => AtomicFile.WriteAllText(path, new JsonObject
    {
        ["metric"] = r.Metric,
        ["oof"] = r.Oof,
        ["fold_mean"] = r.Mean,
        ["fold_std"] = r.Std,
        ["folds"] = new JsonArray(r.Folds.Select(f => (JsonNode)new JsonObject
        {
            ["fold"] = f.Fold,
            ["run"] = f.Run,
            ["images"] = f.Images,
            ["metric"] = f.Metric,
            ["test_metric"] = f.TestMetric,
        }).ToArray()),
        ["ensemble_test"] = r.EnsembleTest,
        ["oof_predictions"] = r.OofPath,
        ["test_predictions"] = r.TestPath,
        ["submission"] = r.Submission,
    }.ToJsonString(JsonFiles.Options));
}
