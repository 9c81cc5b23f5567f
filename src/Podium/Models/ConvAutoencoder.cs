using Podium.Config;
using Podium.Platform;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// A convolutional autoencoder for anomaly detection: four stride-2 convolutions (batch norm, ReLU) down to a narrow
/// bottleneck at 1/16 of the image, four transposed convolutions back up, and a last convolution to the image's channels. Trained
/// on normal images only to reproduce them, it reproduces an anomaly badly: the anomaly map is the squared error per pixel
/// (summed over channels), the image's score its mean.
/// </summary>
public sealed class ConvAutoencoder : Module<Tensor, Tensor>, IAnomalyModel
{
    private readonly Module<Tensor, Tensor> encoder;
    private readonly Module<Tensor, Tensor> decoder;

    public ConvAutoencoder(PodiumConfig config) : base(nameof(ConvAutoencoder))
    {
        var a = config.Anomaly ?? throw new InvalidOperationException("an anomaly config has an anomaly section");
        int channels = config.Data.Channels;
        long[] widths = [a.Width, 2L * a.Width, 4L * a.Width, 8L * a.Width];
        var down = new List<Module<Tensor, Tensor>>();
        long input = channels;
        foreach (var w in widths)
        {
            down.AddRange([Conv2d(input, w, 3, stride: 2, padding: 1, bias: false), BatchNorm.BatchNorm2d(w), ReLU()]);
            input = w;
        }
        down.Add(Conv2d(input, a.Latent, 1));
        encoder = Sequential(down);
        var up = new List<Module<Tensor, Tensor>> { Conv2d(a.Latent, input, 1, bias: false), BatchNorm.BatchNorm2d(input), ReLU() };
        foreach (var w in widths.Reverse())
        {
            up.AddRange([ConvTranspose2d(input, w, 4, stride: 2, padding: 1, bias: false), BatchNorm.BatchNorm2d(w), ReLU()]);
            input = w;
        }
        up.Add(Conv2d(input, channels, 3, padding: 1));
        decoder = Sequential(up);
        RegisterComponents();
    }

    /// <summary>The reconstruction of a normalised batch.</summary>
    public override Tensor forward(Tensor x) => decoder.call(encoder.call(x));

    public Tensor AnomalyMap(Tensor x)
    {
        using var scope = NewDisposeScope();
        var error = call(x).add(x, Scalars.MinusOne);
        return error.mul(error).sum(1).MoveToOuterDisposeScope();
    }

    public Tensor ImageScore(Tensor map) => map.flatten(1).mean([1]);
}
