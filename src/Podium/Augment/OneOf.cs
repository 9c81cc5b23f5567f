using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Applies one transform chosen uniformly (with probability p).</summary>
public sealed class OneOf(IReadOnlyList<ITransform> transforms, double p = 0.5) : RandomTransform(p)
{
    public IReadOnlyList<ITransform> Transforms { get;
        } = transforms.Count > 0 ? transforms : throw new ConfigException("needs at least one transform");

    protected override void Run(AugmentTarget target, Random rng) => Transforms[rng.Next(Transforms.Count)].Apply(target, rng);
}
