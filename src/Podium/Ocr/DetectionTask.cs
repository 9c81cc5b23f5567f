using Podium.Data;
using Podium.Training;
using static TorchSharp.torch;

namespace Podium.Ocr;

/// <summary>
/// DBNet as a training task: the DB loss on each batch's maps, and validation by detecting every validation image
/// at <c>ocr.eval_size</c> and scoring it with the ICDAR 2015 protocol (hmean, precision, recall), every
/// <c>ocr.eval_every</c> epochs (in between, the last scores stand, so only validated epochs can become the best).
/// </summary>
public sealed class DetectionTask(DbLoss loss, Config.OcrConfig options, Augment.Normalize normalize, int channels) : ITrainingTask
{
    private Validation? _last;

    /// <summary>Maps per sample in a batch: probability, its mask, threshold, its mask.</summary>
    public const int Maps = 4;

    /// <summary>The four maps of one transformed sample, written in place into <see cref="Batch.Maps"/>.</summary>
    public static DenseTargets Targets(Config.OcrConfig o)
    {
        var settings = new DbTargetOptions(o.ShrinkRatio, MinTextSize: o.MinTextSize);
        return new DenseTargets(Maps, (polygons, h, w, buffer, offset) => DbTargets.Fill(h, w, polygons, settings, buffer, offset));
    }

    public IReadOnlyList<string> LossParts => ["bce", "dice", "l1"];

    public BatchLoss StepLoss(nn.Module<Tensor, Tensor> model, Batch batch, BatchLoader loader, Device device, int epoch, long step)
    {
        var x = tensor(batch.Pixels, batch.Shape, device: device);
        var maps = tensor(batch.Maps ?? throw new InvalidOperationException("a detection batch carries its target maps"), [batch.Count, Maps, batch.Height, batch.Width], device: device);
        loader.Recycle(batch);
        var prediction = model.forward(x);
        var (total, bce, dice, l1) = loss.Compute(prediction, new DbBatchTargets(maps[.., 0], maps[.., 1], maps[.., 2], maps[.., 3]));
        return new BatchLoss(total, [bce, dice, l1]);
    }

    public Validation Validate(nn.Module<Tensor, Tensor> model, BatchLoader val, Device device, int epoch)
    {
        if (_last is not null && epoch % options.EvalEvery != 0) return _last;
        var score = Score(new DbTextDetector(model, normalize, channels, options, device), val.Data); // leaves eval mode on, as classification's validation does; each epoch starts in train mode
        var named = new Dictionary<string, double> { ["hmean"] = score.Hmean, ["precision"] = score.Precision, ["recall"] = score.Recall };
        return _last = new Validation(double.NaN, double.NaN, double.NaN, named);
    }

    /// <summary>Detects every image of labelled text data and scores the detections (ICDAR 2015 protocol).</summary>
    public static DetectionScore Score(DbTextDetector detector, ImageDataset data, Action<DetectionResult>? each = null)
    {
        var scores = new List<ImageDetectionScore>(data.Count);
        for (int i = 0; i < data.Count; i++)
        {
            using var image = data.Read(i, detector.Channels);
            var found = detector.Detect(image);
            each?.Invoke(found);
            scores.Add(DetectionEvaluation.ScoreImage(Path.GetFileNameWithoutExtension(data.Locate(i)), data.Polygons(i) ?? [], found.Regions.Select(r => r.Points).ToList()));
        }
        return new DetectionScore(scores);
    }
}
