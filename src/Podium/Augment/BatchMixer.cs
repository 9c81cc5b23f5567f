using Podium.Config;
using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Augment;

/// <summary>
/// Batch-level MixUp (Zhang et al. 2018) and CutMix (Yun et al. 2019), as timm's Mixup: with
/// probability <c>prob</c> a batch is mixed with a shuffled copy of itself; λ ~ Beta(α, α); CutMix
/// pastes a box of area 1 − λ and corrects λ to the box actually pasted; with both enabled,
/// CutMix is chosen with <c>switch_prob</c>. The loss is λ·L(y) + (1 − λ)·L(y_partner).
/// Randomness is seeded from (seed, epoch, step).
/// </summary>
public sealed class BatchMixer(BatchAugmentConfig c, int seed)
{
    public bool Enabled => (c.MixupAlpha > 0 || c.CutmixAlpha > 0) && c.Prob > 0;

    public MixedBatch? Mix(Tensor images, Tensor labels, int epoch, long step)
    {
        var rng = new Random(Platform.Seeds.For(seed ^ 0x6D1C, epoch, (int)step));
        if (!Enabled || rng.NextDouble() >= c.Prob) return null;
        bool cutmix = c.CutmixAlpha > 0 && (c.MixupAlpha <= 0 || rng.NextDouble() < c.SwitchProb);
        double lambda = Beta(rng, cutmix ? c.CutmixAlpha : c.MixupAlpha);
        long n = images.shape[0];
        var order = Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray();
        rng.Shuffle(order);
        using var perm = tensor(order, device: images.device);
        var partner = images.index_select(0, perm);
        var partnerLabels = labels.index_select(0, perm);
        if (!cutmix) return new MixedBatch(images.Times(lambda).Plus(partner.Times(1 - lambda)), partnerLabels, lambda, "mixup");

        long h = images.shape[2], w = images.shape[3];
        var (y0, y1, x0, x1) = Box(rng, h, w, lambda);
        var mixed = images.clone();
        mixed[.., .., TensorIndex.Slice(y0, y1), TensorIndex.Slice(x0, x1)] = partner[.., .., TensorIndex.Slice(y0, y1),
            TensorIndex.Slice(x0, x1)];
        double corrected = 1 - (double)(y1 - y0) * (x1 - x0) / (h * w);
        return new MixedBatch(mixed, partnerLabels, corrected, "cutmix");
    }

    /// <summary>CutMix's box: side ratios √(1 − λ), centre uniform, clipped to the image.</summary>
    public static (long Y0, long Y1, long X0, long X1) Box(Random rng, long h, long w, double lambda)
    {
        double ratio = Math.Sqrt(1 - lambda);
        long ch = (long)(h * ratio), cw = (long)(w * ratio);
        long cy = rng.NextInt64(h), cx = rng.NextInt64(w);
        return (Math.Clamp(cy - ch / 2, 0, h), Math.Clamp(cy + ch / 2, 0, h), Math.Clamp(cx - cw / 2, 0, w), Math.Clamp(cx + cw / 2, 0, w));
    }

    /// <summary>Beta(α, α) from two Gamma draws.</summary>
    public static double Beta(Random rng, double alpha)
    {
        double a = Gamma(rng, alpha), b = Gamma(rng, alpha);
        return a + b == 0 ? 0.5 : a / (a + b);
    }

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below 1 through the U^(1/shape) boost.</summary>
    public static double Gamma(Random rng, double shape)
    {
        if (shape < 1) return Gamma(rng, shape + 1) * Math.Pow(1 - rng.NextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Sampling.Gaussian(rng);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = 1 - rng.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }
}
