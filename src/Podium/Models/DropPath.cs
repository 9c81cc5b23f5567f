using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

// Layers shared by Podium's own backbones (EfficientNet, ConvNeXt, ViT, CoAtNet). Field names are
// the state-dict keys, spelled as timm spells them, so timm checkpoints load without renaming.

/// <summary>
/// Stochastic depth (Huang et al. 2016): in training, a residual branch is dropped for a whole sample
/// with probability p and the kept ones are scaled by 1/(1-p) (timm's drop_path); identity in evaluation.
/// </summary>
public sealed class DropPath(double p) : Module<Tensor, Tensor>(nameof(DropPath)), Onnx.IOnnxExportable
{
    public double P { get; } = p;

    public string ToOnnx(Onnx.OnnxGraph g, string x) => x; // the identity in evaluation

    public override Tensor forward(Tensor x)
    {
        if (!training || P <= 0) return x.alias();
        using var scope = NewDisposeScope();
        var shape = new long[x.dim()];
        Array.Fill(shape, 1L);
        shape[0] = x.shape[0];
        using var keepRate = (1 - P).ToScalar();
        var keep = empty(shape, x.dtype, x.device).bernoulli_(1 - P).div_(keepRate);
        return (x * keep).MoveToOuterDisposeScope();
    }

    /// <summary>The linear depth rule of ConvNeXt and ViT (timm's linspace(0, rate, n)): block i of n drops with rate·i/(n−1).</summary>
    public static double Linspace(double rate, int block, int blocks) => blocks <= 1 ? 0 : rate * block / (blocks - 1);
}

/// <summary>Weight initialisation shared by the backbones.</summary>
internal static class Init
{
    /// <summary>timm's transformer/ConvNeXt rule: truncated normal (std 0.02) weights, zero biases, for every conv and linear
    /// layer.</summary>
    public static void TruncatedNormal(Module module, double std = 0.02)
    {
        using var noGrad = no_grad();
        foreach (var (_, m) in module.named_modules())
        {
            if (m is TorchSharp.Modules.Linear linear) { TruncatedNormal(linear.weight, std); linear.bias?.zero_(); }
            else if (m is TorchSharp.Modules.Conv2d conv) { TruncatedNormal(conv.weight, std); conv.bias?.zero_(); }
        }
    }

    /// <summary>
    /// Fills a tensor from N(0, std²) truncated to ±2·std, by inverting the normal CDF of uniform draws
    /// (PyTorch's and timm's method). TorchSharp 0.107's init.trunc_normal_ fills every element with std.
    /// </summary>
    public static void TruncatedNormal(Tensor t, double std)
    {
        const double CdfOfMinus2 = 0.022750131948179195; // Φ(−2)
        using var noGrad = no_grad();
        using var scale = (std * Math.Sqrt(2)).ToScalar();
        using var low = (-2 * std).ToScalar();
        using var high = (2 * std).ToScalar();
        t.uniform_(2 * CdfOfMinus2 - 1, 1 - 2 * CdfOfMinus2).erfinv_().mul_(scale).clamp_(low, high);
    }

    /// <summary>The EfficientNet rule (torchvision's and timm's): convs He-normal on fan-out, linears uniform ±1/√out, norms 1 and
    /// 0.</summary>
    public static void FanOut(Module module)
    {
        using var noGrad = no_grad();
        foreach (var (_, m) in module.named_modules())
        {
            if (m is TorchSharp.Modules.Conv2d conv) { init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut); conv.bias?.zero_(); }
            else if (m is TorchSharp.Modules.Linear linear)
            {
                double range = 1 / Math.Sqrt(linear.weight.shape[0]);
                init.uniform_(linear.weight, -range, range);
                linear.bias?.zero_();
            }
        }
    }
}
