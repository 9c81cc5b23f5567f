using Podium.Config;
using Podium.Data;
using Podium.Evaluation;
using Podium.Models;
using Podium.Ocr;
using Podium.Tracking;
using Podium.Training;
using static Podium.Platform.Invariant;
using static TorchSharp.torch;

namespace Podium.Tasks.Recognition;

/// <summary>
/// A CTC recogniser's training run: text lines (a lines CSV, or the regions of text-detection data warped upright) split into
/// training and validation lines by page, the character set settled (from the training lines, the imported network's, or a keys
/// file; characters outside it counted, and training lines holding one left out), batches of lines of similar width through
/// the augmentations, the CTC loss, and validation by greedy decoding scored as character error rate, line accuracy and SROIE
/// word F1. At the end the best checkpoint reads the validation lines once more, greedily and by beam search, for the per-line
/// table, the worst lines drawn and the timings.
/// </summary>
public sealed class TextRecognitionRun : ITaskRun, ITrainingTask<LineBatch>
{
    /// <summary>Validation lines read per pass (their crops are decoded for the pass only).</summary>
    private const int Chunk = 512;

    private readonly RecognitionConfig _rec;
    private readonly LineDataset _train;
    private readonly LineDataset _val;
    private readonly BatchLoader<LineBatch> _loader;

    public TextRecognitionRun(PodiumConfig config, Action<string> log)
    {
        _rec = config.Rec ?? throw new InvalidOperationException("a text-recognition config has a rec section");
        var d = config.Data;
        long cache = (long)d.CacheMb << 20;
        var (all, skipped) = LineDataset.Open(d.Train, d.TextPoints, d.OnBadInput, cache, _rec.Context);
        string description;
        int inputs = all.Count + skipped.Count;
        if (d.Val is not null)
        {
            var (val, valSkipped) = LineDataset.Open(d.Val, d.TextPoints, d.OnBadInput, cache - all.CachedBytes);
            (_train, _val) = (all, val);
            skipped.AddRange(valSkipped);
            inputs += val.Count + valSkipped.Count;
            description = $"validation data {d.Val}";
        }
        else
        {
            if (d.ValSplit <= 0) throw new ConfigException("data.val_split: is 0 and data.val is not set; give one of them");
            var (trainIdx, valIdx) = Splits.StratifiedGroupHoldout(new int[all.Count], all.Groups(), d.ValSplit, config.Seed);
            (_train, _val) = (all.Subset(trainIdx), all.Subset(valIdx));
            description = F($"seeded hold-out of {d.ValSplit * 100:0.#}% of {all.Groups()!.Distinct().Count()} pages, seed {config.Seed}");
        }
        Characters = Charset(config, _train);
        _train = Known(_train, skipped, log).WithContext();
        Unknown(_val, "validation", log); // kept: they are read as they are and count as errors
        if (skipped.Count > 0) log($"left out {skipped.Count}: {SkippedInput.Summarize(skipped)}");
        Data = new TaskData(_train, _val, ["text"], skipped, inputs, description);
        Config = config with { Rec = _rec with { Characters = _rec.Charset == "data" ? string.Concat(Characters.Characters) : null } };
        var transforms = Augment.Pipelines.Build(config, config.Augment.Train, "augment.train");
        var pipeline = new Augment.Pipeline(transforms.Transforms, transforms.Normalize, _rec.Height, _rec.MaxWidth);
        var widths = Enumerable.Range(0, _train.Count).Select(i => _train.Size(i).Width / (double)_train.Size(i).Height).ToArray();
        _loader = new BatchLoader<LineBatch>(_train, pipeline, 3, config.Train.BatchSize, shuffle: true, config.Train.DropLast,
            d.Workers, d.Prefetch, config.Seed, new LineCollator(_train, Characters),
            _rec.Bucket ? new WidthBucketSampler(widths, config.Train.BatchSize, config.Seed) : null);
        if (_loader.BatchesPerEpoch == 0) throw new PodiumException($"{d.Train}: {_train.Count} training lines make no full batch of " +
            $"{config.Train.BatchSize}; lower train.batch_size");
    }

    public PodiumConfig Config { get; }
    public TaskData Data { get; }
    /// <summary>The characters the recogniser reads.</summary>
    public CharacterSet Characters { get; }
    public int StepsPerEpoch => _loader.BatchesPerEpoch;
    public IReadOnlyList<MetricSpec> Metrics => TextRecognitionTask.Validated;
    /// <summary>The last linear layer (a recogniser's classifier over characters).</summary>
    public string HeadPattern => OptimizerFactory.Head(Config.Train.Optimizer) ?? @"^fc\.";

    /// <summary>The character set a resolved config settles: the saved characters of a run, the training lines', the imported
    /// network's or a keys file's.</summary>
    public static CharacterSet Charset(PodiumConfig config, LineDataset? train)
    {
        var rec = config.Rec!;
        if (rec.Characters is { } saved) return CharacterSet.FromTexts([saved]);
        return rec.Charset switch
        {
            "data" => CharacterSet.FromTexts(train?.Lines.Select(l => l.Text)
                ?? throw new InvalidOperationException("a character set from data needs the training lines")),
            "model" => ModelKeys(config.Model.Pretrained!),
            var path => CharacterSet.Load(path!),
        };
    }

    private static CharacterSet ModelKeys(string spec)
    {
        var keys = ImportedRecogniser.KeysFile(spec)!;
        if (!File.Exists(keys)) throw new PodiumException($"model.pretrained: {spec} is not fetched (podium weights fetch {spec})");
        return CharacterSet.Load(keys, space: true);
    }

    /// <summary>The lines whose every character is in the set; the others left out with the characters counted.</summary>
    private LineDataset Known(LineDataset lines, List<SkippedInput> skipped, Action<string> log)
    {
        var unknown = new Dictionary<string, int>();
        var keep = new List<int>();
        for (int i = 0; i < lines.Count; i++)
        {
            int before = unknown.Values.Sum();
            Characters.Encode(lines.Text(i), unknown);
            if (unknown.Values.Sum() == before) keep.Add(i);
            else skipped.Add(new SkippedInput(lines.Locate(i), "a training line with a character outside the set"));
        }
        if (unknown.Count > 0) log($"training lines: {Describe(unknown)} outside the character set");
        return keep.Count == lines.Count ? lines : lines.Subset(keep);
    }

    private void Unknown(LineDataset lines, string side, Action<string> log)
    {
        var unknown = new Dictionary<string, int>();
        for (int i = 0; i < lines.Count; i++) Characters.Encode(lines.Text(i), unknown);
        if (unknown.Count > 0) log($"{side} lines: {Describe(unknown)} outside the character set (read as errors)");
    }

    private static string Describe(Dictionary<string, int> unknown) =>
        $"{unknown.Values.Sum()} characters" + " (" + string.Join(", ", unknown.OrderByDescending(u => u.Value).Take(10)
            .Select(u => $"'{u.Key}' x{u.Value}")) + (unknown.Count > 10 ? ", ..." : "") + ")";

    public nn.Module<Tensor, Tensor> CreateModel() => Recognisers.Create(Config, Characters.Classes);

    public string Describe(nn.Module<Tensor, Tensor> model) =>
        (model is ImportedRecogniser imported ? $"model {imported.Source} imported" + (imported.NewHead ? " (a new last layer)" : "")
            : $"model {Config.Model.Name}") + $": {model.parameters().Sum(p => p.numel()) / 1e6:0.00} M parameters; " +
        $"{Characters.Classes - 1} characters; lines {_rec.Height} px high, at most {_rec.MaxWidth} px wide";

    public IEnumerable<ITrainerCallback> Callbacks(RunDirectory run, Action<string> log) => [];

    public void Fit(Trainer trainer, Device device, Action<string> log, bool validate = true) => trainer.Fit(this, _loader, validate);

    public BatchLoss StepLoss(nn.Module<Tensor, Tensor> model, LineBatch batch, Device device, int epoch, long step)
    {
        var x = tensor(batch.Pixels, batch.Shape)[.., .., .., ..batch.UsedWidth].to(device);
        var logits = model.forward(x); // [N, T, classes]
        long n = batch.Count, steps = logits.shape[1];
        var logProbs = logits.log_softmax(2).permute(1, 0, 2);
        var targets = tensor(batch.Labels.SelectMany(l => l).Select(l => (long)l).ToArray(), device: device);
        var lengths = tensor(batch.Labels.Select(l => (long)l.Length).ToArray(), device: device);
        // A line too long for its steps has no alignment: zero_infinity gives it no gradient instead of an infinite loss.
        var loss = nn.functional.ctc_loss(logProbs, targets, tensor(Enumerable.Repeat(steps, (int)n).ToArray(), device: device), lengths,
            zero_infinity: true);
        return new BatchLoss(loss, []);
    }

    public IReadOnlyDictionary<string, double> Validate(nn.Module<Tensor, Tensor> model, Device device, int epoch)
    {
        var score = TextRecognitionScore.Of(Read(Recognizer(model, device), [false]).Select(r => (r.Truth, r.Read[0].Text)));
        return new Dictionary<string, double>
        {
            ["val_cer"] = score.CharacterErrorRate,
            ["val_line_accuracy"] = score.LineAccuracy,
            ["val_word_f1"] = score.WordF1,
            ["val_ncer"] = score.NormalizedCharacterErrorRate,
        };
    }

    public TaskOutcome Finish(RunDirectory run, nn.Module<Tensor, Tensor> model, Device device, Action<string> log)
    {
        var recognizer = Recognizer(model, device);
        var read = Read(recognizer, [false, true]);
        var greedy = TextRecognitionScore.Of(read.Select(r => (r.Truth, r.Read[0].Text)));
        var beam = TextRecognitionScore.Of(read.Select(r => (r.Truth, r.Read[1].Text)));
        IO.AtomicFile.WriteAllLines(run.ValLines, [
            "line,truth,read,edits,confidence,beam_read",
            .. read.Select(r => IO.Csv.Line([r.Where, r.Truth, r.Read[0].Text,
                Platform.EditDistance.Levenshtein(r.Truth, r.Read[0].Text).ToString(System.Globalization.CultureInfo.InvariantCulture),
                F($"{r.Read[0].Confidence:0.####}"), r.Read[1].Text]))]);
        var worst = Enumerable.Range(0, read.Count).Where(i => read[i].Truth != read[i].Read[0].Text)
            .OrderByDescending(i => Platform.EditDistance.Levenshtein(read[i].Truth, read[i].Read[0].Text)).Take(24).ToList();
        LineGallery.Write(run.ValLinesPlot, _val, [.. worst.Select(i => (i, read[i].Truth, read[i].Read[0].Text))]);
        double lines = Math.Max(1, read.Count);
        return new RecognitionOutcome(greedy, beam, _rec.BeamWidth, recognizer.NetworkMs / lines, recognizer.GreedyMs / lines,
            recognizer.BeamMs / lines);
    }

    private TextRecognizer Recognizer(nn.Module<Tensor, Tensor> model, Device device) =>
        new(model, Characters, _rec.Height, _rec.MaxWidth, device) { BatchSize = Config.Train.BatchSize, BeamWidth = _rec.BeamWidth };

    /// <summary>Every validation line read by each decoder, a chunk of crops at a time.</summary>
    private List<(string Where, string Truth, LineReading[] Read)> Read(TextRecognizer recognizer, bool[] decoders)
    {
        var result = new List<(string, string, LineReading[])>(_val.Count);
        foreach (var chunk in Enumerable.Range(0, _val.Count).Chunk(Chunk))
        {
            var crops = chunk.Select(i => _val.Read(i, 3)).ToList();
            try
            {
                var readings = recognizer.Read(crops, decoders);
                for (int k = 0; k < chunk.Length; k++)
                    result.Add((_val.Locate(chunk[k]), _val.Text(chunk[k]), [.. readings.Select(r => r[k])]));
            }
            finally { crops.ForEach(c => c.Dispose()); }
        }
        return result;
    }
}
