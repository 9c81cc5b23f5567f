using Podium.Config;
using Podium.Quickstart;

namespace Podium.Runs;

/// <summary>
/// The whole path on data Podium makes itself: generate shapes → look at them (EDA, with the test
/// set for leakage) → split → train → evaluate → predict the unlabelled test set → write and score
/// a submission → report.
/// </summary>
public static class QuickstartRunner
{
    public const string ConfigYaml = """
        # Podium quickstart: synthetic shapes, a small ResNet, one-cycle AdamW.
        seed: 0
        name: quickstart
        data:
          train: data/train
          val_split: 0.2
          img_size: 48
        model: {name: resnet18}
        train:
          epochs: 14
          batch_size: 32
          optimizer: {name: adamw, lr: 0.003, weight_decay: 0.05}
          scheduler: {name: onecycle, warmup: 0.2}
          loss: {name: cross_entropy, label_smoothing: 0.1}
        augment:
          train:
            - random_resized_crop: {size: 48, scale: [0.6, 1.0]}
            - horizontal_flip: {p: 0.5}
        """;

    public static QuickstartResult Run(string root, IEnumerable<string> overrides, RunOptions options, int trainPerClass = 300,
        int testPerClass = 40)
    {
        var log = options.Log;
        root = Path.GetFullPath(root);
        var dataRoot = Path.Combine(root, "data");
        log($"generating synthetic shapes in {dataRoot}");
        if (Directory.Exists(dataRoot)) Directory.Delete(dataRoot, recursive: true);
        SyntheticShapes.Generate(dataRoot, trainPerClass, testPerClass, size: 48, seed: 1);
        var configPath = Path.Combine(root, "config.yaml");
        IO.AtomicFile.WriteAllText(configPath, ConfigYaml);

        var edaDir = Path.Combine(root, "eda");
        var eda = Eda.EdaRunner.Run(Path.Combine(dataRoot, "train"), Path.Combine(dataRoot, "test"), edaDir, new Eda.EdaOptions(), log);
        log($"eda: {eda.Images} training images in {eda.Classes.Count} classes, {eda.Duplicates.ExactPairs} identical and " +
            $"{eda.Duplicates.NearPairs} near-duplicate pairs, " +
            $"{eda.Leakage.ExactPairs} identical and {eda.Leakage.NearPairs} near train/test pairs, {eda.Suspicious.Count} suspicious " +
                $"files (report: {Path.Combine(edaDir, "report.html")})");

        var loaded = ConfigLoader.Load(configPath, overrides);
        var config = loaded with { Data = loaded.Data with { Train = Path.Combine(dataRoot, "train") } };
        var runPath = Path.Combine(root, "run");
        if (Directory.Exists(runPath)) Directory.Delete(runPath, recursive: true);
        var train = TrainingPipeline.Train(config, runPath, options);

        var submission = Path.Combine(root, "submission.csv");
        RunPredictor.Predict(runPath, Path.Combine(dataRoot, "test"), submission, Path.Combine(dataRoot, "sample_submission.csv"), null,
            null, log);
        double testAccuracy = RunPredictor.Score(submission, Path.Combine(dataRoot, "test_labels.csv"));
        return new QuickstartResult(root, train, submission, testAccuracy, Path.Combine(edaDir, "report.html"));
    }
}
