using OpenCvSharp;
using Podium.Config;
using Podium.Data;
using Podium.Tasks.Classification;

namespace Podium.Tests;

/// <summary>crop: bbox from manifest boxes, normalize: auto, and a training run that uses them with a sampler.</summary>
public class PreprocessingTests
{
    /// <summary>A 100x80 image, black except a white 20x10 rectangle at (30, 40).</summary>
    private static string BoxImage(string dir, string name)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        using var m = new Mat(80, 100, MatType.CV_8UC3, Scalar.All(0));
        Cv2.Rectangle(m, new Rect(30, 40, 20, 10), Scalar.All(255), -1);
        Cv2.ImWrite(path, m);
        return path;
    }

    [Fact]
    public void BoxColumnsCropWithAMarginAndBadBoxesAreSkippedWithReasons()
    {
        var root = TestEnv.TempDir("bbox");
        var img = BoxImage(root, "a.png");
        File.WriteAllLines(Path.Combine(root, "xywh.csv"), ["path,label,x,y,w,h", "a.png,cat,30,40,20,10", "a.png,dog,,,,",
            "a.png,cat,90,70,0,5", "a.png,dog,3,x,1,1"]);
        File.WriteAllLines(Path.Combine(root, "corners.csv"), ["path,label,x1,y1,x2,y2", "a.png,cat,30,40,50,50",
            "a.png,dog,95,75,140,90"]);
        var load = DatasetReader.Open(Path.Combine(root, "xywh.csv"));
        Assert.Equal(2, load.Dataset.Count);
        Assert.Contains(load.Skipped, s => s.Problem.Contains("empty box"));
        Assert.Contains(load.Skipped, s => s.Problem.Contains("box field 'x' is not a number"));

        var cropped = new BoxCropDataset(load.Dataset, margin: 0.5);
        using (var c = cropped.Read(0, 1))
        {
            // 20x10 box widened by half its size on each side: 40x20, the box in its middle.
            Assert.Equal((40, 20), (c.Width, c.Height));
            Assert.Equal(255, c.At<byte>(10, 20));
            Assert.Equal(0, c.At<byte>(2, 2));
        }
        using (var whole = cropped.Read(1, 1)) Assert.Equal((100, 80), (whole.Width, whole.Height)); // no box: the whole image
        var corners = new BoxCropDataset(DatasetReader.Open(Path.Combine(root, "corners.csv")).Dataset, margin: 0);
        using (var c = corners.Read(0, 3)) Assert.Equal((20, 10), (c.Width, c.Height));
        using (var c = corners.Read(1, 3)) Assert.Equal((5, 5), (c.Width, c.Height)); // clamped to the image
    }

    [Fact]
    public void TrainingWithSplitFileSamplerBoxCropAndAutoNormalisation()
    {
        var root = TestEnv.TempDir("prep-train");
        Quickstart.SyntheticShapes.Generate(Path.Combine(root, "data"), trainPerClass: 12, testPerClass: 2, size: 32, seed: 3);
        // A manifest with a box per image (the whole shape area) and a 3-fold split of it.
        var rows = new List<string> { "path,label,x,y,w,h" };
        foreach (var dir in Directory.GetDirectories(Path.Combine(root, "data", "train")).Order(StringComparer.Ordinal))
            rows.AddRange(Directory.GetFiles(dir).Order(StringComparer.Ordinal).Select(f => $"{f},{Path.GetFileName(dir)},2,2,28,28"));
        File.WriteAllLines(Path.Combine(root, "boxes.csv"), rows);
        var split = TestEnv.Podium(root, "split", "boxes.csv", "--folds", "3", "--out", "folds.csv");
        Assert.True(split.ExitCode == 0, split.Stderr + split.Stdout);
        File.WriteAllText(Path.Combine(root, "cfg.yaml"), """
            seed: 0
            data: {split: folds.csv, fold: 1, img_size: 32, crop: bbox, crop_margin: 0, normalize: auto}
            model: {name: mobilenet_v3_small}
            train:
              epochs: 2
              batch_size: 8
              sampler: {name: balanced}
              loss: {name: cross_entropy, class_weights: balanced}
            """);
        var train = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        Assert.Contains("data: 40 train / 20 val images (fold 1 of 3", train.Stdout);
        Assert.Contains("normalize: auto from 40 training images", train.Stdout);
        Assert.Contains("classes seen in epoch 1 (class-balanced batches): circle 8, cross 8, square 8, star 8, triangle 8", train.Stdout);
        // The resolved numbers are in the saved config, so evaluate and predict use them without measuring.
        var saved = ConfigLoader.Load(Path.Combine(root, "run", "config.yaml"));
        Assert.Null(saved.Data.Normalize);
        Assert.NotEqual(0.485, saved.Data.Mean[0]);
        var distribution = File.ReadAllLines(Path.Combine(root, "run", "class_distribution.csv"));
        Assert.Equal("epoch,circle,cross,square,star,triangle,max_over_min", distribution[0]);
        Assert.Equal(3, distribution.Length);
        Assert.True(File.Exists(Path.Combine(root, "run", "plots", "class_distribution.png")));
        var eval = TestEnv.Podium(root, "evaluate", "--run", "run");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Contains("validation split: 20 images", eval.Stdout);
    }

    [Fact]
    public void AutoNormalisationReadsAnEdaJson()
    {
        var root = TestEnv.TempDir("prep-eda");
        File.WriteAllText(Path.Combine(root, "eda.json"), """{"normalize": {"mean": [0.1, 0.2, 0.3], "std": [0.4, 0.5, 0.6]}}""");
        var config = ConfigLoader.Parse($"data: {{train: {Path.Combine(TestEnv.Datasets, "flowers")}, normalize: auto, stats: " +
            $"{Path.Combine(root, "eda.json")}, cache_mb: 0}}", "c.yaml");
        var logged = new List<string>();
        var setup = DataSetup.Prepare(config, logged.Add);
        Assert.Equal([0.1, 0.2, 0.3], setup.TrainPipeline.Normalize.Mean);
        Assert.Equal([0.4, 0.5, 0.6], setup.ValPipeline.Normalize.Std);
        Assert.Contains(logged, l => l.StartsWith("normalize: auto from ", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(root, "bad.json"), "{}");
        var bad = ConfigLoader.Parse($"data: {{train: x, normalize: auto, stats: {Path.Combine(root, "bad.json")}}}", "c.yaml");
        Assert.Contains("not an eda.json", Assert.Throws<PodiumException>(() => Eda.EdaRunner.ReadStats(bad.Data.Stats!)).Message);
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse("data: {train: x, normalize: always}", "c.yaml"));
    }
}
