using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Podium.Models;

/// <summary>
/// Batch normalisation as TorchSharp 0.107 computes it, for 2-D/3-D (<see cref="BatchNorm1d"/>) or 4-D
/// (<see cref="BatchNorm2d"/>) inputs. TorchSharp's own counts the batches it has seen with
/// <c>num_batches_tracked.add_(1)</c>: two temporary Scalars per layer and training step, which a collection on another
/// thread can free while libtorch reads them. This one counts with a Scalar that lives as long as the process; the
/// parameters, buffers and their names are TorchSharp's, so checkpoints and pretrained weights are unchanged.
/// </summary>
public sealed class BatchNorm : TorchSharp.Modules.BatchNorm
{
    private readonly int _dims;

    private BatchNorm(long features, double eps, double momentum, int dims, string name)
        : base(features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, name) => _dims = dims;

    /// <summary>Over the channels of N×C×H×W images.</summary>
    public static BatchNorm BatchNorm2d(long features, double eps = 1e-5, double momentum = 0.1) => new(features, eps, momentum, 4,
        nameof(BatchNorm2d));

    /// <summary>Over the features of N×C or N×C×L inputs.</summary>
    public static BatchNorm BatchNorm1d(long features, double eps = 1e-5, double momentum = 0.1) => new(features, eps, momentum, 1,
        nameof(BatchNorm1d));

    /// <summary>A copy of TorchSharp's layer (as TorchVision builds them): the same settings and values, the original disposed.</summary>
    public static BatchNorm From(TorchSharp.Modules.BatchNorm original)
    {
        int dims = original is TorchSharp.Modules.BatchNorm2d ? 4 : original is TorchSharp.Modules.BatchNorm1d ? 1
            : throw new ArgumentException($"no Podium equivalent of {original.GetType().Name}");
        var copy = new BatchNorm(original.num_features, original.eps, original.momentum ?? 0.1, dims,
            original.GetName())
        { momentum = original.momentum };
        using (no_grad())
        {
            copy.weight.copy_(original.weight);
            copy.bias!.copy_(original.bias!);
            copy.running_mean!.copy_(original.running_mean!);
            copy.running_var!.copy_(original.running_var!);
            copy.num_batches_tracked!.copy_(original.num_batches_tracked!);
        }
        copy.weight.requires_grad = original.weight.requires_grad;
        copy.bias!.requires_grad = original.bias!.requires_grad;
        if (!original.training) copy.eval();
        original.Dispose();
        return copy;
    }

    protected override void ValidateInputDimensions(Tensor input)
    {
        bool ok = _dims == 4 ? input.ndim == 4 : input.ndim is 2 or 3;
        if (!ok) throw new ArgumentException($"expected {(_dims == 4 ? "4D" : "2D or 3D")} input (got {input.ndim}D input)");
    }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        double factor = momentum ?? 0.0;
        if (training && num_batches_tracked is { } tracked)
        {
            tracked.add_(Platform.Scalars.One, Platform.Scalars.One);
            if (momentum is null) factor = 1.0 / tracked.item<long>();
        }
        return F.batch_norm(input, running_mean, running_var, weight, bias, training, factor, eps);
    }
}
