using Podium.Config;
using Podium.Models;
using static TorchSharp.torch;

namespace Podium.Tasks.Classification;

/// <summary>The configured classifier, untrained: the run's own, its low-precision compute copy, or the one a saved run's checkpoint loads
/// into.</summary>
public static class ClassificationModels
{
    public static nn.Module<Tensor, Tensor> Create(PodiumConfig config, int classes) =>
        ModelRegistry.Create(config.Model.Name, classes, config.Data.Channels, Heads.Options(config.Model.Head),
            ModelRegistry.Options(config.Model), config.Data.ImgSize);
}
