using Podium.Platform;
using Podium.Config;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>Classification heads over a backbone's pooled features (model.head).</summary>
public static class Heads
{
    public static readonly string[] Types = ["linear", "msd", "cosine"];

    public static Module<Tensor, Tensor> Create(HeadConfig c, long features, int classes) => c.Type switch
    {
        "linear" => c.Dropout > 0 ? Sequential(Dropout(c.Dropout), Linear(features, classes)) : Linear(features, classes),
        "msd" => new MultiSampleDropoutHead(features, classes, c.Dropout > 0 ? c.Dropout : 0.5, c.Samples),
        "cosine" => new CosineHead(features, classes, c.Embedding, c.Scale),
        _ => throw new ConfigException($"model.head.type: unknown head '{c.Type}' ({string.Join(", ", Types)})"),
    };
}

/// <summary>
/// Multi-sample dropout (Inoue 2019): in training, <c>samples</c> dropout masks over the same features,
/// each through the one shared linear layer, logits averaged: the regularisation of several dropout
/// draws for the cost of one backbone pass. In evaluation dropout is off and it is a plain linear head.
/// </summary>
public sealed class MultiSampleDropoutHead : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> fc;
    private readonly double _p;
    private readonly int _samples;

    public MultiSampleDropoutHead(long features, int classes, double p, int samples) : base(nameof(MultiSampleDropoutHead))
    {
        fc = Linear(features, classes);
        (_p, _samples) = (p, samples);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (!training) return fc.forward(x);
        using var scope = NewDisposeScope();
        Tensor sum = fc.forward(functional.dropout(x, _p, true));
        for (int k = 1; k < _samples; k++) sum = sum.Plus(fc.forward(functional.dropout(x, _p, true)));
        return sum.Over(_samples).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The ArcFace / CosFace head: features → a BatchNorm'd linear embedding (e.g. 512-d), L2-normalised,
/// against L2-normalised class centres: logits are scale · cos θ. The angular margin belongs to the
/// loss (train.loss.name: arcface | cosface), which knows the labels; at inference the logits classify
/// and <see cref="Embed"/> gives unit vectors for nearest-neighbour search.
/// </summary>
public sealed class CosineHead : Module<Tensor, Tensor>
{
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

/// <summary>A backbone that ends in pooled, flattened features, and a head on them.</summary>
public sealed class Classifier : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> backbone;
    private readonly Module<Tensor, Tensor> head;

    public Classifier(Module<Tensor, Tensor> backbone, Module<Tensor, Tensor> head) : base(nameof(Classifier))
    {
        this.backbone = backbone;
        this.head = head;
        RegisterComponents();
    }

    public Module<Tensor, Tensor> Head => head;

    /// <summary>The pooled backbone features (timm's forward_features + pooling).</summary>
    public Tensor Features(Tensor x) => backbone.forward(x);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return head.forward(backbone.forward(x)).MoveToOuterDisposeScope();
    }
}
