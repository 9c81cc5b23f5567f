using OpenCvSharp;

namespace Podium.Augment;

/// <summary>
/// One augmentation or preprocessing step. It applies the same random parameters to every target
/// of an <see cref="AugmentTarget"/>. Randomness comes only from <paramref name="rng"/>, which the
/// loader seeds per sample and epoch, so results do not depend on which thread runs it.
/// </summary>
public interface ITransform
{
    void Apply(AugmentTarget target, Random rng);
}

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

/// <summary>Runs transforms in order (with probability p for the whole list).</summary>
public sealed class Compose(IReadOnlyList<ITransform> transforms, double p = 1) : RandomTransform(p)
{
    public IReadOnlyList<ITransform> Transforms { get; } = transforms;

    protected override void Run(AugmentTarget target, Random rng)
    {
        foreach (var t in Transforms) t.Apply(target, rng);
    }
}

/// <summary>Applies one transform chosen uniformly (with probability p).</summary>
public sealed class OneOf(IReadOnlyList<ITransform> transforms, double p = 0.5) : RandomTransform(p)
{
    public IReadOnlyList<ITransform> Transforms { get; } = transforms.Count > 0 ? transforms : throw new ConfigException("needs at least one transform");

    protected override void Run(AugmentTarget target, Random rng) => Transforms[rng.Next(Transforms.Count)].Apply(target, rng);
}

/// <summary>Applies <c>n</c> distinct transforms chosen at random, in list order (with probability p).</summary>
public sealed class SomeOf(IReadOnlyList<ITransform> transforms, int n, double p = 1) : RandomTransform(p)
{
    public IReadOnlyList<ITransform> Transforms { get; } = transforms;
    public int N { get; } = n >= 0 && n <= transforms.Count ? n : throw new ConfigException($"n must be between 0 and {transforms.Count}, got {n}");

    protected override void Run(AugmentTarget target, Random rng)
    {
        var order = Enumerable.Range(0, Transforms.Count).ToArray();
        rng.Shuffle(order);
        foreach (var i in order[..N].Order()) Transforms[i].Apply(target, rng);
    }
}
