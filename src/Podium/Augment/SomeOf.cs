using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Applies <c>n</c> distinct transforms chosen at random, in list order (with probability p).</summary>
public sealed class SomeOf(IReadOnlyList<ITransform> transforms, int n, double p = 1) : RandomTransform(p)
{
    public IReadOnlyList<ITransform> Transforms { get; } = transforms;
    public int N { get; } = n >= 0 && n <= transforms.Count
        ? n : throw new ConfigException($"n must be between 0 and {transforms.Count}, got {n}");

    protected override void Run(AugmentTarget target, Random rng)
    {
        var order = Enumerable.Range(0, Transforms.Count).ToArray();
        rng.Shuffle(order);
        foreach (var i in order[..N].Order()) Transforms[i].Apply(target, rng);
    }
}
