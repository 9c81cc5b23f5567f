using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>DBNet's neck kinds: the paper's FPN, or a U-Net-style decoder with stronger skip connections.</summary>
public static class DbNecks
{
    public static readonly string[] Names = ["fpn", "unet"];

    public static Module<Tensor[], Tensor> Create(string name, long[] channels, int inner = 256) => name switch
    {
        "fpn" => new DbFpn(channels, inner),
        "unet" => new DbUnetDecoder(channels, inner),
        _ => throw new PodiumException($"model.neck: unknown '{name}' ({string.Join(", ", Names)})"),
    };

    internal static Module<Tensor, Tensor> ConvBnRelu(long input, long output, int kernel = 3) =>
        Sequential(Conv2d(input, output, kernel, padding: kernel / 2, bias: false), BatchNorm.BatchNorm2d(output), ReLU(inplace: true));
}
