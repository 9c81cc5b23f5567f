using Podium.Augment;
using Podium.Config;
using Podium.Data;
using Podium.Evaluation;
using Podium.IO;
using Podium.Models;
using Podium.Platform;
using Podium.Reporting;
using Podium.Tracking;
using Podium.Training;
using static Podium.Platform.Invariant;
using static TorchSharp.torch;

namespace Podium.Tasks.Anomaly;

/// <summary>
/// An anomaly detection run. PatchCore reads the normal training images once, keeping every patch's features, and before the
/// epoch is validated thins them to the memory bank by the greedy coreset (as anomalib does at validation start); the
/// autoencoder trains to reproduce the normal images (mean squared error). After the best epoch is loaded the run scores the
/// validation images, chooses the threshold (threshold.json, tied to the checkpoint) and draws the scores and the anomaly maps.
/// </summary>
public sealed class AnomalyRun : ITaskRun, ITrainingTask<ImageBatch>, ITrainerCallback
{
    public const string ThresholdFile = "threshold.json";
    public const string ScoresFile = "val_scores.csv";
    public const string ScoresPlot = "anomaly_scores.png";
    public const string MapsPlot = "anomaly_maps.png";
    /// <summary>Tiles per row of the maps picture.</summary>
    private const int Shown = 8;

    private readonly AnomalyConfig _anomaly;
    private readonly BatchLoader<ImageBatch> _train;
    private readonly BatchLoader<ImageBatch> _val;
    // PatchCore's model is fixed once its bank is filled: what Validate scored is what Finish would score again (~20 s on flowers).
    private (double[] Scores, double[] Peaks, double[] Means)? _patchCoreScores;
    private readonly bool[] _valAnomalous;
    private readonly List<Tensor> _patches = [];
    private readonly Action<string> _log;

    public AnomalyRun(PodiumConfig config, Action<string> log)
    {
        _log = log;
        _anomaly = config.Anomaly ?? throw new InvalidOperationException("an anomaly config has an anomaly section");
        var (data, anomalous, settled) = AnomalyData.Prepare(config, log);
        config = settled;
        if (data.Skipped.Count > 0) log($"skipped {data.Skipped.Count} of {data.InputCount} inputs: " +
            SkippedInput.Summarize(data.Skipped));
        if (_anomaly.Method == "patchcore") config = config with
        {
            Anomaly = _anomaly = _anomaly with
            {
                BankSize = BankSize(config,
            data.Train.Count)
            }
        };
        if (config.Anomaly!.Normal is not null && !anomalous.Any(a => a))
        {
            log("no anomalies among the validation images: the threshold is a percentile of their scores, epochs kept by the normal " +
                "images' mean score");
            config = config with { Train = config.Train with { Monitor = "val_" + AnomalyTask.NormalScore.Name } };
        }
        Config = config;
        Data = data;
        _valAnomalous = anomalous;
        _train = new BatchLoader<ImageBatch>(data.Train, Pipelines.Build(config, config.Augment.Train, "augment.train"),
            config.Data.Channels, config.Train.BatchSize, shuffle: _anomaly.Method != "patchcore", config.Train.DropLast
            && _anomaly.Method != "patchcore", config.Data.Workers, config.Data.Prefetch, config.Seed, Collators.Images);
        _val = Loaders.Eval(data.Val, config);
    }

    /// <summary>The memory bank's rows for this many training images: the coreset's share of their patches, refused when the
    /// patches alone would take more than anomaly.bank_mb.</summary>
    private static int BankSize(PodiumConfig config, int images)
    {
        var a = config.Anomaly!;
        long patches, dim;
        using (var probe = new PatchCoreModel(config)) (patches, dim) = (probe.PatchesPerImage, probe.FeatureDim);
        double mb = (double)images * patches * dim * sizeof(float) / (1 << 20);
        if (mb > a.BankMb) throw new PodiumException(F($"anomaly.bank_mb: {images} training images x {patches} patches x {dim} values ") +
            F($"take {mb:0} MB before the coreset thins them, more than {a.BankMb}; lower data.img_size, train on fewer images or ") +
            "raise anomaly.bank_mb");
        return (int)Math.Max(1, Math.Ceiling(a.Coreset * images * patches));
    }

    public PodiumConfig Config { get; }
    public TaskData Data { get; }
    public int StepsPerEpoch => _train.BatchesPerEpoch;
    public IReadOnlyList<MetricSpec> Metrics => _valAnomalous.Any(a => a) ? [AnomalyTask.Auroc, AnomalyTask.NormalScore]
        : [AnomalyTask.NormalScore];
    /// <summary>What a pretrained backbone does not hold.</summary>
    public string HeadPattern => @"^(memory_bank$|decoder\.)";

    public nn.Module<Tensor, Tensor> CreateModel() => AnomalyModels.Create(Config);

    public string Describe(nn.Module<Tensor, Tensor> model) => model is PatchCoreModel p
        ? $"PatchCore on {Config.Model.Name} ({string.Join(" + ", _anomaly.Layers)}): {p.PatchesPerImage} patches of {p.FeatureDim} " +
            $"values per image; memory bank of {p.BankSize} rows ({_anomaly.Coreset:P1} of {(long)Data.Train.Count * p.PatchesPerImage} " +
            "training patches, greedy coreset)"
        : F($"convolutional autoencoder: {model.parameters().Sum(t => t.numel()) / 1e6:0.00} M parameters, bottleneck ") +
            $"{_anomaly.Latent} x {Config.Data.ImgSize / 16} x {Config.Data.ImgSize / 16}";

    public IEnumerable<ITrainerCallback> Callbacks(RunDirectory run, Action<string> log) => _anomaly.Method == "patchcore" ? [this] : [];

    public void Fit(Trainer trainer, Device device, Action<string> log, bool validate = true) => trainer.Fit(this, _train, validate);

    public BatchLoss StepLoss(nn.Module<Tensor, Tensor> model, ImageBatch batch, Device device, int epoch, long step)
    {
        var x = tensor(batch.Pixels, batch.Shape, device: device);
        if (model is not PatchCoreModel patchCore) return new(nn.functional.mse_loss(model.call(x), x));
        if (epoch == 1 && step == 0) DisposePatches(); // a resumed epoch reads its images again
        var patches = patchCore.Patches(x);
        _patches.Add(patches.permute(0, 2, 3, 1).reshape(-1, patches.shape[1]).contiguous().DetachFromDisposeScope());
        return new(zeros(1, device: device)); // no graph: the trainer takes no gradient step
    }

    /// <summary>PatchCore, before its epoch is validated: the memory bank from the patches read (the greedy coreset).</summary>
    public IDisposable? OnValidationStart(TrainerState state)
    {
        if (_patches.Count == 0 || state.Model is not PatchCoreModel model) return null;
        using (var all = cat(_patches.ToArray()))
        {
            DisposePatches();
            int count = (int)model.BankSize;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var chosen = WorkProgress.Run($"coreset: {count} of {all.shape[0]} patches", count,
                report => CoresetSampler.Select(all, count, Config.Seed, report));
            using var rows = all.index_select(0, tensor(chosen, device: all.device));
            model.SetBank(rows);
            _log(F($"memory bank: {count} of {all.shape[0]} patches chosen in {clock.Elapsed.TotalSeconds:0.0} s"));
        }
        return null;
    }

    private void DisposePatches()
    {
        foreach (var t in _patches) t.Dispose();
        _patches.Clear();
    }

    public IReadOnlyDictionary<string, double> Validate(nn.Module<Tensor, Tensor> model, Device device, int epoch)
    {
        var scored = AnomalyScoring.Score(model, _val, device);
        _patchCoreScores = model is PatchCoreModel ? scored : null;
        return Judge(scored.Scores);
    }

    private Dictionary<string, double> Judge(double[] scores)
    {
        var values = new Dictionary<string, double>
        {
            [AnomalyTask.NormalScore.Column] = scores.Where((_, i) => !_valAnomalous[i]).DefaultIfEmpty(double.NaN).Average(),
        };
        if (_valAnomalous.Any(a => a)) values[AnomalyTask.Auroc.Column] = RankMetrics.RocAuc(scores, _valAnomalous);
        return values;
    }

    public TaskOutcome Finish(RunDirectory run, nn.Module<Tensor, Tensor> model, Device device, Action<string> log)
    {
        var (scores, peaks, means) = _patchCoreScores ?? AnomalyScoring.Score(model, _val, device);
        var threshold = AnomalyThreshold.Choose(scores, _valAnomalous, _anomaly.Threshold, _anomaly.Percentile);
        var score = AnomalyScore.Of(scores, _valAnomalous, threshold.Value);
        var maps = AnomalyMapRange.Of(means, peaks, _valAnomalous);
        AnomalyThresholdFile.Save(Path.Combine(run.Root, ThresholdFile), run.ModelCheckpoint(), _anomaly.Method, threshold, maps,
            score.Figures);
        WriteScores(Path.Combine(run.Root, ScoresFile), Data.Val, scores, _valAnomalous, threshold.Value);
        Draw(run.Plots, model, Config, device, Data.Val, scores, _valAnomalous, threshold, maps);
        log($"threshold {threshold.Describe()}");
        // F1 rewards flagging everything when anomalies outnumber normal images; say so rather than let it pass unseen.
        if (threshold.By == "f1" && score.FalsePositiveRate > 0.5)
            log(F($"the best-F1 threshold flags {score.FalsePositiveRate:P0} of the normal validation images ({score.Anomalous} ") +
                F($"anomalies to {score.Normal} normal ones); anomaly.threshold: percentile flags ") +
                F($"{100 - _anomaly.Percentile:0.#} % of them"));
        return new AnomalyOutcome(score, threshold);
    }

    /// <summary>path,label,score,anomalous (flagged at the threshold), one row per image in the data's order.</summary>
    public static void WriteScores(string path, ImageDataset data, double[] scores, bool[]? truth, double threshold) =>
        AtomicFile.WriteAllLines(path, [Csv.Line(truth is null ? ["path", "score", "anomalous"] : ["path", "label", "score", "anomalous"]),
            .. Enumerable.Range(0, data.Count).Select(i => Csv.Line([data.Locate(i), .. truth is null ? Array.Empty<string>()
                : [truth[i] ? "anomalous" : "normal"], F($"{scores[i]:G6}"), scores[i] >= threshold ? "1" : "0"]))]);

    /// <summary>The score histogram with the threshold, and a picture of anomaly maps: the highest-scored anomalies, the anomalies
    /// scored lowest (missed when under the threshold), the highest-scored normal images, and normal images in the middle.</summary>
    public static void Draw(string plots, nn.Module<Tensor, Tensor> model, PodiumConfig config, Device device, ImageDataset data,
        double[] scores, bool[] anomalous, AnomalyThreshold threshold, AnomalyMapRange range)
    {
        Directory.CreateDirectory(plots);
        Plots.Histograms([("normal", [.. scores.Where((_, i) => !anomalous[i])]), ("anomalous", [.. scores.Where((_, i) => anomalous[i])])],
            "Anomaly scores", "score", Path.Combine(plots, ScoresPlot), bins: 40, line: (threshold.Value, $"threshold ({threshold.By})"));
        int[] Pick(bool anomaly, bool highest)
        {
            var rows = Enumerable.Range(0, scores.Length).Where(i => anomalous[i] == anomaly).OrderBy(i => scores[i]).ToList();
            if (highest) rows.Reverse();
            else if (!anomaly) rows = [.. rows.Skip(Math.Max(0, rows.Count / 2 - Shown / 2))];
            return [.. rows.Take(Shown)];
        }
        int[][] groups = [Pick(true, true), Pick(true, false), Pick(false, true), Pick(false, false)];
        var shown = groups.SelectMany(g => g).Distinct().ToArray();
        var maps = new Dictionary<int, float[,]>();
        var view = new DatasetView(data, shown);
        AnomalyScoring.Score(model, Loaders.Eval(view, config), device,
            (i, map) => maps[shown[i]] = map);
        CaptionedGallery.Item Tile(int i) => new(i, F($"{scores[i]:G4} {(scores[i] >= threshold.Value ? "flagged" : "passed")}"),
            ImageGrid.Cut(data.Classes.Count > 0 && data.Label(i) >= 0 ? data.Classes[data.Label(i)] : anomalous[i] ? "anomalous"
                : "normal", 18),
            Image: () =>
            {
                using var rgb = data.Read(i, 3);
                return AnomalyOverlay.Draw(rgb, maps[i], range, config);
            });
        var rows = groups.Where(g => g.Length > 0).Select(g => (IReadOnlyList<CaptionedGallery.Item>)[.. g.Select(Tile)]).ToList();
        CaptionedGallery.Write(data, rows, Path.Combine(plots, MapsPlot), flagFirst: false);
    }
}
