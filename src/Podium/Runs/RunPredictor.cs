using System.Globalization;
using Podium.Data;
using Podium.Evaluation;
using Podium.IO;
using static Podium.Platform.Invariant;

namespace Podium.Runs;

public static class RunPredictor
{
    /// <summary>Predicts every image of <paramref name="input"/> (a folder or CSV) with a run's best model and writes a
    /// submission.</summary>
    /// <returns>The number of rows written.</returns>
    /// <param name="tta">A TTA spec (hflip,vflip,five-crop,scales=...); null: the config's augment.tta views, if any.</param>
    /// <param name="probabilitiesPath">Where the probabilities go (default: the run's predictions/INPUT.csv), for ensembles and
    /// pseudo-labels.</param>
    public static int Predict(string runPath, string input, string outPath, string? samplePath, string? idStyle, string? device,
        Action<string> log,
        string? tta = null, string ttaMerge = "mean", string? probabilitiesPath = null)
    {
        var rm = RunModel.Load(runPath, device);
        var load = DatasetReader.Open(input, rm.Classes, labelled: false);
        if (load.Skipped.Count > 0) log($"skipped {load.Skipped.Count} inputs of {input}: {load.SkipSummary()}");
        var data = Data.Loaders.Preprocess(load.Enforce(rm.Config.Data.OnBadInput), rm.Config.Data);
        var pipeline = Augment.Pipelines.Val(rm.Config);
        var views = tta is null
            ? Augment.Pipelines.TtaViews(rm.Config, pipeline).Select((v, i) => ($"augment.tta[{i}]", v)).ToList()
            : TestTimeAugmentation.Pipelines(tta, pipeline);
        var all = rm.PredictViews(data, pipeline, views.Select(v => v.Item2));
        var predictions = all[0];
        if (views.Count > 0)
        {
            log($"test-time augmentation: {views.Count + 1} views (plain, {string.Join(", ", views.Select(v => v.Item1))}), {ttaMerge} " +
                $"of probabilities");
            predictions = TestTimeAugmentation.Merge(all, ttaMerge);
        }
        double[]? labelThresholds = null;
        if (File.Exists(rm.Run.Thresholds) && rm.Config.Data.MultiLabel)
        {
            var tuned = LabelThresholds.Load(rm.Run.Thresholds, rm.Checkpoint, rm.Classes);
            log(string.Create(CultureInfo.InvariantCulture,
                $"applying per-label thresholds from {rm.Run.Thresholds} (tuned for {tuned.Metric}: " +
                $"{tuned.Before:F4} -> {tuned.After:F4} on validation)"));
            labelThresholds = tuned.Thresholds;
        }
        else if (File.Exists(rm.Run.Thresholds))
        {
            var thresholds = ClassThresholds.Load(rm.Run.Thresholds, rm.Checkpoint, rm.Classes);
            log(string.Create(CultureInfo.InvariantCulture,
                $"applying per-class thresholds from {rm.Run.Thresholds} (tuned for {thresholds.Metric}: " +
                $"{thresholds.Before:F4} -> {thresholds.After:F4} on validation)"));
            predictions = predictions with { Probabilities = thresholds.Apply(predictions.Probabilities) };
        }
        probabilitiesPath ??= Path.Combine(rm.Run.PredictionsDir,
            Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(Path.GetFullPath(input))) + ".csv");
        PredictionFile.From(data, predictions, labelled: false).Write(probabilitiesPath);
        log($"probabilities: {probabilitiesPath}");
        var options = rm.Config.Submission;
        if (idStyle is not null) options = options with { IdStyle = idStyle };
        return SubmissionWriter.Write(outPath, data, predictions, rm.Classes, options, samplePath, labelThresholds);
    }

    /// <summary>What <see cref="Embed"/> wrote and, with a labelled input and a gallery, how well k-NN voting classified it.</summary>
    /// <param name="Retrieval">Labelled single-label queries: retrieval against the gallery, or leave-one-out among themselves.</param>
    /// <param name="RetrievalPath">retrieval.json beside the embeddings, when <paramref name="Retrieval"/> was scored.</param>
    /// <param name="Clusters">With --clusters: k-means over the inputs' embeddings.</param>
    /// <param name="Map">With --map: the t-SNE map of the inputs' embeddings.</param>
    /// <param name="Duplicates">With --duplicates: the near-duplicate pairs, against the gallery or among the inputs.</param>
    public sealed record EmbedResult(int Count, int Width, string? NeighboursPath, double? KnnAccuracy, RetrievalScore? Retrieval = null,
        string? RetrievalPath = null, ClusterReport? Clusters = null, TsneResult? Map = null, DuplicateReport? Duplicates = null);

    /// <summary>
    /// Embeds every image of <paramref name="input"/> with a run's best model (embeddings.csv) and, with a
    /// labelled gallery, writes each image's k nearest gallery images and their majority label.
    /// </summary>
    /// <param name="clusters">A number of k-means clusters, "auto" to choose it by the silhouette, or null for none.</param>
    /// <param name="duplicates">A cosine similarity from which two images count as near-duplicates, or null for no search.</param>
    public static EmbedResult Embed(string runPath, string input, string outPath, string? galleryPath, int k, string? neighboursPath,
        string? device, Action<string> log, string? clusters = null, bool map = false, double? duplicates = null)
    {
        if (k < 1) throw new PodiumException($"--k {k}: must be at least 1");
        if (duplicates is <= 0 or > 1) throw new PodiumException(F($"--duplicates {duplicates}: a cosine similarity in (0, 1]"));
        int? clusterK = clusters is null ? null : EmbeddingClusters.ParseK(clusters);
        var rm = RunModel.Load(runPath, device, features: true);
        var embed = Embeddings.Embedder(rm.Model, rm.Config, rm.Device);
        var pipeline = Augment.Pipelines.Val(rm.Config);
        EmbeddingSet Run(string path, bool labelled, out ImageDataset data)
        {
            var load = DatasetReader.Open(path, rm.Classes, labelled);
            if (load.Skipped.Count > 0) log($"skipped {load.Skipped.Count} inputs of {path}: {load.SkipSummary()}");
            data = Data.Loaders.Preprocess(load.Enforce(rm.Config.Data.OnBadInput), rm.Config.Data);
            return Embeddings.Compute(rm.Model, embed, Data.Loaders.Eval(data, pipeline, rm.Config), rm.Device);
        }
        // Queries are labelled when they are laid out as the run's classes (a CSV, or class folders), which lets k-NN be scored.
        bool queriesLabelled = File.Exists(input) || (Directory.Exists(input) && Directory.GetDirectories(input).Length > 0
            && Directory.GetDirectories(input).All(d => rm.Classes.Contains(Path.GetFileName(d))));
        var queries = Run(input, queriesLabelled, out var queryData);
        Embeddings.WriteCsv(outPath, queries, queryData);
        var folder = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
        var grouped = clusters is null ? null : EmbeddingClusters.Write(queries, queryData, folder, clusterK, rm.Config.Seed, log);
        var drawn = map ? EmbeddingMap.Write(queries, queryData, grouped?.Assignment, folder, rm.Config.Seed, log) : null;
        var retrievalPath = Path.Combine(folder, "retrieval.json");
        RetrievalScore? Retrieval(EmbeddingSet gallerySet, ImageDataset galleryImages, bool sameSet)
        {
            if (!queriesLabelled || rm.Config.Data.MultiLabel) return null;
            var score = RetrievalMetrics.Compute(queries, queries.Labels(queryData), gallerySet, gallerySet.Labels(galleryImages), sameSet);
            score.Write(retrievalPath, Path.GetFullPath(galleryPath ?? input));
            return score;
        }
        if (galleryPath is null)
        {
            var own = Retrieval(queries, queryData, sameSet: true);
            var among = duplicates is { } t ? EmbeddingDuplicates.Write(queries, queryData, queries, queryData, true, t, folder) : null;
            return new EmbedResult(queries.Count, queries.Width, null, null, own, own is null ? null : retrievalPath, grouped, drawn,
                among);
        }

        // The input searched against itself as gallery: everything would find itself first, so retrieval leaves each one out.
        bool sameSet = Path.GetFullPath(galleryPath) == Path.GetFullPath(input);
        // Read as labelled as the gallery is, the input need not be embedded twice.
        ImageDataset galleryData = queryData;
        var gallery = sameSet && queriesLabelled ? queries : Run(galleryPath, labelled: true, out galleryData);
        var near = duplicates is { } threshold
            ? EmbeddingDuplicates.Write(queries, queryData, gallery, galleryData, sameSet, threshold, folder) : null;
        var found = Embeddings.Nearest(queries, gallery, k);
        neighboursPath ??= Path.Combine(folder, "neighbours.csv");
        var lines = new List<string> { "path,rank,neighbour,neighbour_label,similarity,knn_label" };
        int correct = 0, labelled = 0;
        foreach (var n in found)
        {
            int vote = Embeddings.Vote(n, g => galleryData.Label(gallery.Indices[g]));
            int truth = queriesLabelled ? queryData.Label(queries.Indices[n.Query]) : ImageDataset.Unlabelled;
            if (truth != ImageDataset.Unlabelled) { labelled++; if (truth == vote) correct++; }
            for (int r = 0; r < n.Gallery.Length; r++)
            {
                int g = gallery.Indices[n.Gallery[r]];
                lines.Add(Csv.Line([queryData.Locate(queries.Indices[n.Query]), (r + 1).ToString(CultureInfo.InvariantCulture),
                    galleryData.Locate(g),
                    rm.Classes[galleryData.Label(g)], n.Similarity[r].ToString("F6", CultureInfo.InvariantCulture), rm.Classes[vote]]));
            }
        }
        IO.AtomicFile.WriteAllLines(neighboursPath, lines);
        var retrieval = sameSet ? Retrieval(queries, queryData, sameSet: true) : Retrieval(gallery, galleryData, sameSet: false);
        return new EmbedResult(queries.Count, queries.Width, neighboursPath, labelled == 0 ? null : correct / (double)labelled, retrieval,
            retrieval is null ? null : retrievalPath, grouped, drawn, near);
    }

    /// <summary>Accuracy of a submission against an answer key with the same id,label columns.</summary>
    public static double Score(string submissionPath, string answersPath)
    {
        var truth = Csv.Read(answersPath).Skip(1).ToDictionary(r => r[0], r => r[1]);
        var rows = Csv.Read(submissionPath).Skip(1).ToList();
        if (rows.Count != truth.Count) throw new PodiumException($"{submissionPath}: {rows.Count} rows, the answer key has {truth.Count}");
        return rows.Count(r => truth.TryGetValue(r[0], out var t) && t == r[1]) / (double)rows.Count;
    }
}
