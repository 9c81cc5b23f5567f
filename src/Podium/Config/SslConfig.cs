namespace Podium.Config;

/// <summary>
/// Self-supervised pretraining (podium pretrain, the ssl section): the method, its head and loss, how many images go through the
/// network at once, and the k-NN monitor on labelled validation images. Labels of the training images are never read.
/// </summary>
public sealed record SslConfig
{
    /// <summary>simclr (NT-Xent over two views, Chen et al. 2020) | simsiam (a predictor and a stop-gradient, Chen &amp; He 2021).
    /// </summary>
    public string Method { get; init; } = "simclr";
    /// <summary>SimCLR's softmax temperature over the cosine similarities.</summary>
    public double Temperature { get; init; } = 0.2;
    /// <summary>Width of the projection head's hidden layer.</summary>
    public int HiddenDim { get; init; } = 512;
    /// <summary>Width of the projection the loss compares (SimCLR 128; SimSiam's projector output).</summary>
    public int ProjectionDim { get; init; } = 128;
    /// <summary>SimSiam's predictor bottleneck width.</summary>
    public int PredictorDim { get; init; } = 64;
    /// <summary>Views that go through the network with gradients at once; 0: the whole batch (2 x train.batch_size). Smaller
    /// chunks keep memory at the chunk's while the loss still compares every view of the batch (a gradient cache: the
    /// projections first without gradients, the loss's gradient on them, then each chunk again with its share).</summary>
    public int Chunk { get; init; }
    /// <summary>The k-NN monitor: neighbours that vote for a validation image's class (by similarity-weighted votes).</summary>
    public int KnnK { get; init; } = 20;
    /// <summary>The monitor's vote weight is exp(similarity / knn_temperature) (Wu et al. 2018).</summary>
    public double KnnTemperature { get; init; } = 0.07;
}
