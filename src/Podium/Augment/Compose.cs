namespace Podium.Augment;

/// <summary>Runs transforms in order (with probability p for the whole list).</summary>
[Transform("sequential")]
public sealed class Compose(Compose.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        public Options() => P = 1;

        public IReadOnlyList<ITransform> Transforms { get; init; } = [];
    }

    /// <summary>The transforms in order, always applied (a pipeline's body, a TTA view).</summary>
    public Compose(IReadOnlyList<ITransform> transforms) : this(new Options { Transforms = transforms }) { }

    public Compose() : this(new Options()) { }

    public IReadOnlyList<ITransform> Transforms => o.Transforms;

    protected override void Run(AugmentTarget target, Random rng)
    {
        foreach (var t in Transforms) t.Apply(target, rng);
    }
}
