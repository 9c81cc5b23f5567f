using Podium.Config;
using Podium.Platform;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// The ArcFace / CosFace head: features → a BatchNorm'd linear embedding (e.g. 512-d), L2-normalised,
/// against L2-normalised class centres: logits are scale · cos θ. The angular margin belongs to the
/// loss (train.loss.name: arcface | cosface), which knows the labels; at inference the logits classify
/// and <see cref="Embed"/> gives unit vectors for nearest-neighbour search.
/// </summary>
public sealed class CosineHead : Module<Tensor, Tensor>
{
    /// <summary>cosine: an embedding against normalised class centres, for the arcface and cosface losses.</summary>
    [Component("cosine")]
    public sealed record Options : HeadOptions
    {
        /// <summary>The embedding width.</summary>
        [Within(2, 1e6)] public int Embedding { get; init; } = 512;

        /// <summary>Logits are scale · cos θ (ArcFace's s).</summary>
        [Positive] public double Scale { get; init; } = 30;

        public override Module<Tensor, Tensor> Build(long features, int classes) => new CosineHead(features, classes, Embedding, Scale);
    }

    private readonly Module<Tensor, Tensor> embedding;
    private readonly TorchSharp.Modules.Parameter centres;
    public double Scale { get; }

    public CosineHead(long features, int classes, int embeddingSize, double scale) : base(nameof(CosineHead))
    {
        embedding = Sequential(Linear(features, embeddingSize, hasBias: false), BatchNorm.BatchNorm1d(embeddingSize));
        centres = Parameter(init.xavier_uniform_(empty(classes, embeddingSize)));
        Scale = scale;
        RegisterComponents();
    }

    /// <summary>Unit-length embeddings of pooled features.</summary>
    public Tensor Embed(Tensor x) => functional.normalize(embedding.forward(x), p: 2, dim: 1);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var cosine = Embed(x).matmul(functional.normalize(centres, p: 2, dim: 1).t());
        return cosine.Times(Scale).MoveToOuterDisposeScope();
    }
}
