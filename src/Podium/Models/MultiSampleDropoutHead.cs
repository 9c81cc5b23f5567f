using Podium.Config;
using Podium.Platform;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// Multi-sample dropout (Inoue 2019): in training, <c>samples</c> dropout masks over the same features,
/// each through the one shared linear layer, logits averaged: the regularisation of several dropout
/// draws for the cost of one backbone pass. In evaluation dropout is off and it is a plain linear head.
/// </summary>
public sealed class MultiSampleDropoutHead : Module<Tensor, Tensor>
{
    /// <summary>msd: dropout masks averaged per step over one linear layer.</summary>
    [Component("msd")]
    public sealed record Options : HeadOptions
    {
        [Within(0, 1, upperOpen: true)] public double Dropout { get; init; } = 0.5;

        /// <summary>Dropout masks averaged per step.</summary>
        [Positive] public int Samples { get; init; } = 5;

        public override Module<Tensor, Tensor> Build(long features, int classes) =>
            new MultiSampleDropoutHead(features, classes, Dropout, Samples);
    }

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
