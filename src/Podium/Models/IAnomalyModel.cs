using static TorchSharp.torch;

namespace Podium.Models;

/// <summary>An anomaly detector's network: a map per image of how unlike the normal images each place is, and the image's score
/// from its map (higher: more anomalous).</summary>
public interface IAnomalyModel
{
    /// <summary>The anomaly map of each image of a normalised batch: [batch, height, width] at the model's own resolution.</summary>
    Tensor AnomalyMap(Tensor x);

    /// <summary>Each image's score from its map: [batch].</summary>
    Tensor ImageScore(Tensor map);
}
