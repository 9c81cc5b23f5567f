using OpenCvSharp;

namespace Podium.Augment;

/// <summary>A transform applied with probability <see cref="P"/> (albumentations' <c>p</c>).</summary>
public abstract class RandomTransform(double p) : ITransform
{
    public double P { get; } = p is >= 0 and <= 1 ? p : throw new ConfigException($"p must be in [0, 1], got {p}");

    public void Apply(AugmentTarget target, Random rng)
    {
        // The draw happens even at p = 1, so adding or removing a transform's p never shifts the
        // random stream of the transforms after it.
        if (rng.NextDouble() < P) Run(target, rng);
    }

    protected abstract void Run(AugmentTarget target, Random rng);
}
