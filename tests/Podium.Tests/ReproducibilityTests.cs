using Podium.Config;
using Podium.Quickstart;

namespace Podium.Tests;

[Collection(nameof(GlobalTorchRng))]
public class ReproducibilityTests
{
    [Fact]
    public void SameSeedGivesTheSameRunStepForStep()
    {
        var root = TestEnv.TempDir("repro");
        SyntheticShapes.Generate(Path.Combine(root, "data"), trainPerClass: 12, testPerClass: 1, size: 24, seed: 5);
        string[] Losses(string name, int workers)
        {
            var c = ConfigLoader.Parse($"seed: 3\ndata: {{train: {Path.Combine(root, "data", "train")}, img_size: 24, workers: " +
                $"{workers}}}\nmodel: {{name: mobilenet_v3_small}}\n" +
                "train: {epochs: 2, batch_size: 8}\naugment:\n  train:\n    - random_resized_crop: {size: 24, scale: [0.5, 1]}\n    - " +
                    "horizontal_flip: {}\n", "r.yaml");
            Runs.TrainingPipeline.Train(c, Path.Combine(root, name), new());
            return File.ReadAllLines(Path.Combine(root, name, "metrics.csv")).Select(l => string.Join(',', l.Split(',')[..4])).ToArray();
        }
        var first = Losses("a", workers: 1);
        Assert.Equal(first, Losses("b", workers: 3)); // loader threads do not change the run
        Assert.Equal(1 + 2 * 6, first.Length);
    }
}
