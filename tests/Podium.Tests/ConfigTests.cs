using Podium.Config;
using Podium.Training;

namespace Podium.Tests;

public class ConfigTests
{
    // The config, verbatim.
    private const string Foundation = """
        seed: 0
        data:
          train: ../shared/datasets/flowers
          val_split: 0.2          # stratified, seeded
          img_size: 112
        model: {name: resnet18}
        train:
          epochs: 12
          batch_size: 64
          optimizer: {name: adamw, lr: 0.002, weight_decay: 0.05}
          scheduler: {name: onecycle, warmup: 0.15}
          loss: {name: cross_entropy, label_smoothing: 0.1}
        augment:
          train:
            - random_resized_crop: {size: 112, scale: [0.35, 1.0]}
            - horizontal_flip: {p: 0.5}
        """;

    [Fact]
    public void FoundationConfigBindsWithDefaultsCompletingTheRecipe()
    {
        var c = ConfigLoader.Parse(Foundation, "flowers.yaml");
        Assert.Equal(112, c.Data.ImgSize);
        Assert.Equal(0.2, c.Data.ValSplit);
        Assert.Equal("adamw", c.Train.Optimizer.Name);
        Assert.Equal(0.002, OptimizerFactory.Registry.Options(c.Train.Optimizer, "train.optimizer").Lr);
        Assert.Equal(0.15, LrSchedule.Registry.Options(c.Train.Scheduler, "train.scheduler").Warmup);
        Assert.Equal(0.1, ((CrossEntropy.Options)Losses.Registry.Options(c.Train.Loss, "train.loss")).LabelSmoothing);
        Assert.Equal([0.485, 0.456, 0.406], c.Data.Mean); // ImageNet by default
        Assert.Equal(2, c.Augment.Train.Count);
        var pipeline = Augment.Pipelines.Build(c, c.Augment.Train, "augment.train");
        Assert.Equal(2, ((Podium.Augment.Compose)pipeline.Transforms).Transforms.Count);
    }

    [Fact]
    public void ResolvedYamlRoundTrips()
    {
        var c = ConfigLoader.Parse(Foundation, "a.yaml");
        var again = ConfigLoader.Parse(ConfigLoader.ToYaml(c), "config.yaml");
        Assert.Equal(ConfigLoader.ToYaml(c), ConfigLoader.ToYaml(again));
        Assert.Contains("label_smoothing: 0.1", ConfigLoader.ToYaml(c));
    }

    [Fact]
    public void OverridesSetScalarsListsAndNewSections()
    {
        var c = ConfigLoader.Parse(Foundation, "a.yaml", ["train.epochs=3", "data.mean=[0.5]", "data.std=[0.5]", "data.channels=1",
            "submission.id_column=image_id"]);
        Assert.Equal(3, c.Train.Epochs);
        Assert.Equal([0.5], c.Data.Mean);
        Assert.Equal(1, c.Data.Channels);
        Assert.Equal("image_id", c.Submission.IdColumn);
    }

    [Theory]
    [InlineData("train:\n  optimzer: {name: sgd}", "unknown key 'optimzer' in 'train' (did you mean 'optimizer'?)")]
    [InlineData("data:\n  train: x\n  img_szie: 3", "unknown key 'img_szie' in 'data' (did you mean 'img_size'?)")]
    [InlineData("data: {train: x}\nepochs: 3", "unknown key 'epochs'")]
    [InlineData("data: {train: x}\ntrain: {optimizer: {name: adamax}}", "train.optimizer.name: unknown optimizer 'adamax'")]
    [InlineData("data: {train: x}\ntrain: {optimizer: {name: sgd, betas: [0.9, 0.99]}}", "train.optimizer: unknown parameter 'betas'")]
    [InlineData("data: {train: x}\ntrain: {optimizer: {lr: 0}}", "a.yaml: train.optimizer: lr must be positive, got 0")]
    [InlineData("data: {train: x}\ntrain: {optimizer: {betas: [0.9]}}", "a.yaml: train.optimizer: betas must be two values in [0, 1)")]
    [InlineData("data: {train: x}\ntrain: {epochs: many}", "a.yaml: line 2: train.epochs: bad value 'many' (")]
    [InlineData("data: {train: x, img_size: 1e400}", "a.yaml: line 1: data.img_size: bad value '1e400' (")]
    [InlineData("data: {train: x, val_split: .nan}", "a.yaml: data.val_split: must be a finite number, got NaN")]
    [InlineData("data: {train: x, std: [0.2, .inf, 0.2]}", "a.yaml: data.std[1]: must be a finite number, got Infinity")]
    [InlineData("data: {train: x}\naugment: {batch: {mixup_alpha: .nan}}", "a.yaml: augment.batch.mixup_alpha: must be a finite number")]
    [InlineData("data: {train: x}\ntrain: {ema: {decay: .nan}}", "a.yaml: train.ema.decay: must be a finite number, got NaN")]
    [InlineData("data: {train: x}\ntrain: {optimizer: {lr: 1e400}}", "a.yaml: train.optimizer: lr must be a finite number, got '1e400'")]
    [InlineData("data: {train: x}\ntrain: {optimizer: {lr: .nan}}", "a.yaml: train.optimizer: lr must be a finite number, got '.nan'")]
    [InlineData("data: {train: x}\ntrain: {loss: {name: focal, gamma: NaN}}", "train.loss: gamma must be a finite number, got 'NaN'")]
    [InlineData("data: {train: x, val_split: 1.5}", "data.val_split: must be in [0, 1)")]
    [InlineData("model: {name: resnet18}", "data.train: is required")]
    [InlineData("data: {train: x}\n  bad: [indent", "a.yaml:")]
    public void BadConfigsFailWithOneLineNamingTheKey(string yaml, string expected)
    {
        // Parsing checks keys and values; resolving (before any run starts) checks the names of components and metrics.
        var e = Assert.ThrowsAny<PodiumException>(() => Runs.ConfigResolver.Resolve(ConfigLoader.Parse(yaml, "a.yaml"), "a.yaml"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("a.yaml", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("- random_resize_crop: {size: 8}",
        "augment.train[0]: unknown transform 'random_resize_crop' (did you mean 'random_resized_crop'?)")]
    [InlineData("- horizontal_flip: {prob: 0.5}", "augment.train[0].horizontal_flip: unknown parameter 'prob'")]
    [InlineData("- horizontal_flip: {p: 2}", "augment.train[0].horizontal_flip: p must be in [0, 1]")]
    [InlineData("- random_resized_crop: {scale: [0.9, 0.1]}", "augment.train[0].random_resized_crop: scale must be")]
    [InlineData("- random_resized_crop: {size: big}", "parameter 'size' has a bad value 'big'")]
    public void BadTransformsFailBeforeTraining(string items, string expected)
    {
        var c = ConfigLoader.Parse("data: {train: x}\naugment:\n  train:\n    " + items, "a.yaml");
        var e = Assert.Throws<ConfigException>(() => Augment.Pipelines.Build(c, c.Augment.Train, "augment.train"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AComponentsBadValueNamesTheOverrideThatGaveIt()
    {
        // Component options are checked at resolve, after reading: the message still names the --set, not the file.
        PodiumConfig Resolved(params string[] overrides) =>
            Runs.ConfigResolver.Resolve(ConfigLoader.Parse(Foundation, "a.yaml", overrides), "a.yaml");
        Assert.Equal("--set train.optimizer.lr=0: train.optimizer: lr must be positive, got 0",
            Assert.Throws<ConfigException>(() => Resolved("train.epochs=2", "train.optimizer.lr=0")).Message);
        Assert.Equal("--set train.loss={name: focal, gamma: -1}: train.loss: gamma must not be negative, got -1",
            Assert.Throws<ConfigException>(() => Resolved("train.loss={name: focal, gamma: -1}")).Message);
        var inFile = Foundation.Replace("weight_decay: 0.05", "weight_decay: 0.05, gamma: 2");
        Assert.StartsWith("a.yaml: train.optimizer: unknown parameter 'gamma'", Assert.Throws<ConfigException>(() =>
            Runs.ConfigResolver.Resolve(ConfigLoader.Parse(inFile, "a.yaml", ["train.epochs=2"]), "a.yaml")).Message);
    }

    [Fact]
    public void OverrideWithoutEqualsIsRejected()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Foundation, "a.yaml", ["train.epochs"]));
        Assert.Contains("--set train.epochs: expected key.path=value", e.Message);
    }
}
