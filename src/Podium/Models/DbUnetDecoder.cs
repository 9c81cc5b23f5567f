using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// A U-Net-style decoder: each level is up-sampled, concatenated with the next finer backbone level (not added),
/// and mixed by two 3x3 conv-BN-ReLU, down to stride 4; the richer skips help thin, dense text lines.
/// </summary>
public sealed class DbUnetDecoder : Module<Tensor[], Tensor>
{
    private readonly TorchSharp.Modules.ModuleList<Module<Tensor, Tensor>> blocks = new();
    private readonly Module<Tensor, Tensor> top;

    public DbUnetDecoder(long[] channels, int inner) : base(nameof(DbUnetDecoder))
    {
        long[] widths = [inner, inner / 2, inner / 2, inner / 2]; // per level, stride 4 first
        top = DbNecks.ConvBnRelu(channels[3], widths[3], 1);
        for (int i = 2; i >= 0; i--)
            blocks.Add(Sequential(DbNecks.ConvBnRelu(widths[i + 1] + channels[i], widths[i]), DbNecks.ConvBnRelu(widths[i], widths[i])));
        RegisterComponents();
    }

    public override Tensor forward(Tensor[] c)
    {
        var x = top.forward(c[3]);
        for (int k = 0, i = 2; i >= 0; k++, i--)
        {
            x = functional.interpolate(x, size: [c[i].shape[2], c[i].shape[3]], mode: InterpolationMode.Nearest);
            x = blocks[k].forward(cat([x, c[i]], 1));
        }
        return x;
    }
}
