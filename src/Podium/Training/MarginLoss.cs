using Podium.Config;
using Podium.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// ArcFace (Deng et al. 2019) and CosFace (Wang et al. 2018) on a cosine head's logits s·cos θ: the
/// target class's logit becomes s·cos(θ + m) (ArcFace; past θ = π − m, s·(cos θ − m·sin m) keeps it
/// monotonic, as insightface does) or s·(cos θ − m) (CosFace); then cross-entropy. The margin forces
/// classes apart on the sphere, so the embeddings cluster by class.
/// </summary>
public sealed class MarginLoss(bool additiveAngle, double scale, double margin, double labelSmoothing) : nn.Module<Tensor, Tensor,
    Tensor>(nameof(MarginLoss))
{
    /// <summary>arcface: the additive angle m, in radians.</summary>
    [Component("arcface")]
    public sealed record ArcFaceOptions : LossOptions
    {
        public double Margin { get; init; } = 0.5;
        [Within(0, 1, upperOpen: true)] public double LabelSmoothing { get; init; }

        public override nn.Module<Tensor, Tensor, Tensor> Build(LossContext c) => new MarginLoss(true, c.Scale, Margin, LabelSmoothing);
    }

    /// <summary>cosface: the cosine margin m subtracted from the target's cosine.</summary>
    [Component("cosface")]
    public sealed record CosFaceOptions : LossOptions
    {
        public double Margin { get; init; } = 0.5;
        [Within(0, 1, upperOpen: true)] public double LabelSmoothing { get; init; }

        public override nn.Module<Tensor, Tensor, Tensor> Build(LossContext c) => new MarginLoss(false, c.Scale, Margin, LabelSmoothing);
    }

    public override Tensor forward(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        var cosine = logits.Over(scale).Clamp(-1 + 1e-7, 1 - 1e-7);
        var targetCos = cosine.gather(1, target.unsqueeze(1));
        Tensor marked;
        if (additiveAngle)
        {
            var sine = (targetCos * targetCos).SubtractedFrom(1.0).sqrt();
            var shifted = targetCos.Times(Math.Cos(margin)) - sine.Times(Math.Sin(margin));
            using var limit = Math.Cos(Math.PI - margin).ToScalar();
            marked = where(targetCos.gt(limit), shifted, targetCos.Minus(margin * Math.Sin(margin)));
        }
        else marked = targetCos.Minus(margin);
        var adjusted = cosine.scatter(1, target.unsqueeze(1), marked).Times(scale);
        return nn.functional.cross_entropy(adjusted, target, label_smoothing: labelSmoothing).MoveToOuterDisposeScope();
    }
}
