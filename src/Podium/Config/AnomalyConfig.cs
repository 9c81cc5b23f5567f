namespace Podium.Config;

/// <summary>
/// Anomaly detection (podium anomaly train, the anomaly section): trained on normal images only, a score per image and an
/// anomaly map per image, and the decision threshold chosen on validation images.
/// </summary>
public sealed record AnomalyConfig
{
    /// <summary>patchcore (a memory bank of a pretrained backbone's patch features, Roth et al. 2022) | autoencoder (a
    /// convolutional autoencoder scored by its reconstruction error).</summary>
    public string Method { get; init; } = "patchcore";
    /// <summary>The classes of labelled data that are normal (the rest are anomalies: only the validation side's are read). Left
    /// out: data.train is a folder of normal images, labels unread.</summary>
    public List<string>? Normal { get; init; }
    /// <summary>auto | percentile | f1: by a percentile of the normal validation images' scores, or where F1 is best with
    /// labelled anomalies among them; auto: f1 when the validation images hold anomalies, else percentile.</summary>
    public string Threshold { get; init; } = "auto";
    /// <summary>The percentile of normal validation scores the threshold sits at (the share of normals flagged is 100 - it).</summary>
    public double Percentile { get; init; } = 95;
    /// <summary>PatchCore: the backbone's children whose outputs make the patch features (resized to the first's grid).</summary>
    public List<string> Layers { get; init; } = ["layer2", "layer3"];
    /// <summary>PatchCore: the share of training patches the greedy coreset keeps in the memory bank.</summary>
    public double Coreset { get; init; } = 0.1;
    /// <summary>PatchCore: the most memory the training patches may take before the coreset thins them (refused above).</summary>
    public int BankMb { get; init; } = 2048;
    /// <summary>PatchCore: memory bank rows, settled from the training images when the run starts (what a saved run loads).</summary>
    public int BankSize { get; init; }
    /// <summary>Autoencoder: channels of its first convolution (doubled at each of its 4 downsamplings).</summary>
    public int Width { get; init; } = 32;
    /// <summary>Autoencoder: channels of its bottleneck (at 1/16 of the image size).</summary>
    public int Latent { get; init; } = 64;
    /// <summary>Gaussian blur of the anomaly map, in pixels of the image (PatchCore's 4; 0: none).</summary>
    public double MapSigma { get; init; } = 4;
}
