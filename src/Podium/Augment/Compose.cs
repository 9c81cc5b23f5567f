using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Runs transforms in order (with probability p for the whole list).</summary>
public sealed class Compose(IReadOnlyList<ITransform> transforms, double p = 1) : RandomTransform(p)
{
    public IReadOnlyList<ITransform> Transforms { get; } = transforms;

    protected override void Run(AugmentTarget target, Random rng)
    {
        foreach (var t in Transforms) t.Apply(target, rng);
    }
}
