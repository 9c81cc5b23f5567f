using Podium.Config;
using Podium.Ocr;
using Podium.Quickstart;
using Podium.Tasks.Detection;

namespace Podium.Runs;

/// <summary>
/// <c>podium quickstart --ocr</c>: the two-stage OCR path on documents Podium makes itself: generate pages with
/// known word boxes → render the training targets → train a small DBNet → score unseen pages with the ICDAR 2015
/// protocol → detect (JSON, ICDAR txt, drawn images) → crop and warp each region to a line image → train a CRNN on the
/// training pages' words → read the unseen pages end to end (detector + recogniser) and score them.
/// </summary>
public static class OcrQuickstart
{
    public const string ConfigYaml = """
        # Podium OCR quickstart: synthetic documents, DBNet on MobileNetV3-small with the U-Net decoder.
        seed: 0
        name: quickstart_ocr
        data:
          train: docs/train
          val_split: 0.15
          img_size: 256
        model: {name: mobilenet_v3_small}
        train:
          epochs: 12
          batch_size: 8
          optimizer: {name: adamw, lr: 0.004, weight_decay: 0.0001}
          scheduler: {name: polynomial, power: 0.9, warmup: 0.05}
        augment:
          train:
            - rotate: {limit: 5, p: 0.3}
            - text_safe_crop: {size: 256, min_crop_side_ratio: 0.5}
        ocr: {neck: unet, inner: 64, eval_size: 320, eval_every: 3}
        """;

    public const string RecConfigYaml = """
        # Podium OCR quickstart, second stage: a CRNN reading the words of the same training pages, each warped upright to a
        # 16 px line (plenty for these fonts, and 4x cheaper than 32); the characters are the training words'. Each training
        # word keeps a quarter of its height of page around it, of which each read takes a random part: the detector's boxes are
        # looser than the truth's (end to end CER 19 % -> 12 % at 24 epochs), and that harder task wants more epochs.
        seed: 0
        name: quickstart_rec
        data:
          train: docs/train
          val_split: 0.15
        model: {name: crnn, width: 128, hidden: 96}
        rec: {height: 16, max_width: 160, charset: data, context: 0.25}
        train:
          epochs: 20
          batch_size: 16
          optimizer: {name: adamw, lr: 0.003, weight_decay: 0.0001}
          clip_grad: {norm: 5}
        augment:
          train:
            - rotate: {limit: 2, border_mode: replicate, p: 0.3}
            - gaussian_blur: {p: 0.2}
            - gauss_noise: {p: 0.3}
        """;

    /// <summary>How many pages the quickstart shows detections and crops for.</summary>
    private const int Shown = 4;

    /// <param name="overrides">KEY=VALUE for the detection config.</param>
    /// <param name="recOverrides">KEY=VALUE for the recognition config.</param>
    public static OcrQuickstartResult Run(string root, IEnumerable<string> overrides, IEnumerable<string> recOverrides, RunOptions options,
        int trainPages = 160, int testPages = 40)
    {
        var log = options.Log;
        root = Path.GetFullPath(root);
        var docs = Path.Combine(root, "docs");
        log($"generating synthetic documents in {docs}");
        if (Directory.Exists(docs)) Directory.Delete(docs, recursive: true);
        SyntheticDocuments.Generate(Path.Combine(docs, "train"), trainPages, 320, 320, seed: 1);
        SyntheticDocuments.Generate(Path.Combine(docs, "test"), testPages, 320, 320, seed: 2);

        // What the network is taught: kernels and border bands over a few pages (look at these first).
        var targets = Path.Combine(root, "targets");
        var train = Data.DatasetReader.Open(Path.Combine(docs, "train")).Dataset;
        for (int i = 0; i < Shown; i++) DbTargets.WritePicture(train, i, new DbTargetOptions(), targets);
        log($"training targets drawn for {Shown} pages in {targets}");

        var (config, result) = Train(root, "config.yaml", ConfigYaml, overrides, "run", Path.Combine(docs, "train"), options);

        // Unseen pages: scored, then detected and cropped as a user would.
        var detector = DetectionRunLoader.Load(result.Run.Root, config.Device).Detector;
        var test = Data.DatasetReader.Open(Path.Combine(docs, "test")).Dataset;
        var detections = Path.Combine(root, "detections");
        var crops = Path.Combine(root, "crops");
        foreach (var dir in new[] { detections, crops }) if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(crops);
        var rows = new List<string> { TextCrops.CsvHeader };
        int index = 0;
        var score = DetectionScore.Detect(detector, test, found =>
        {
            if (index < Shown)
            {
                var path = test.Locate(index);
                using var image = test.Read(index, 3);
                DetectionOutput.Write(detections, path, image, found.Regions);
                rows.AddRange(TextCrops.Write(crops, path, image, [.. found.Regions.Select(r => (r.Points, ""))]));
            }
            index++;
        });
        score.WritePerImage(Path.Combine(root, "test_per_image.csv"));
        IO.AtomicFile.WriteAllLines(Path.Combine(crops, "crops.csv"), rows);

        // The second stage: a recogniser trained on the training pages' words, then both networks reading the unseen pages.
        var (recConfig, recResult) = Train(root, "rec.yaml", RecConfigYaml, recOverrides, "rec", Path.Combine(docs, "train"), options);
        var recognizer = RecognitionRunLoader.Load(recResult.Run.Root, recConfig.Device).Recognizer;
        var readings = Path.Combine(root, "read");
        if (Directory.Exists(readings)) Directory.Delete(readings, recursive: true);
        var read = TextReadings.Read(new PageReader(detector, recognizer), Path.Combine(docs, "test", "img"), readings,
            Path.Combine(docs, "test", "box"), Data.IcdarText.QuadPoints, _ => { });
        return new OcrQuickstartResult(root, result, (DetectionOutcome)result.Task, score, detections, crops, rows.Count - 1, recResult,
            (Tasks.Recognition.RecognitionOutcome)recResult.Task, read.Score!, readings);
    }

    /// <summary>Writes a stage's config beside the data (for the user to edit and rerun), then trains it into a fresh run folder.
    /// </summary>
    private static (PodiumConfig Config, TrainOutcome Result) Train(string root, string file, string yaml, IEnumerable<string> overrides,
        string run, string data, RunOptions options)
    {
        var path = Path.Combine(root, file);
        IO.AtomicFile.WriteAllText(path, yaml);
        var loaded = ConfigLoader.Load(path, overrides);
        var config = loaded with { Data = loaded.Data with { Train = data } };
        var runPath = Path.Combine(root, run);
        if (Directory.Exists(runPath)) Directory.Delete(runPath, recursive: true);
        return (config, TrainingPipeline.Train(config, runPath, options));
    }
}
