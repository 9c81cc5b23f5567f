using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Models;

/// <summary>The network of an anomaly config's method.</summary>
public static class AnomalyModels
{
    public static nn.Module<Tensor, Tensor> Create(PodiumConfig config) => config.Anomaly?.Method switch
    {
        "patchcore" => new PatchCoreModel(config),
        "autoencoder" => new ConvAutoencoder(config),
        var m => throw new ConfigException($"anomaly.method: unknown method '{m}'"),
    };
}
