namespace Podium.Augment;

/// <summary>Applies one transform chosen uniformly (with probability p).</summary>
[Transform("one_of")]
public sealed class OneOf(OneOf.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        public IReadOnlyList<ITransform> Transforms { get; init; } = [];

        public override void Validate()
        {
            if (Transforms.Count == 0) throw new ConfigException("needs transforms: [...]");
        }
    }

    public IReadOnlyList<ITransform> Transforms => o.Transforms;

    protected override void Run(AugmentTarget target, Random rng) => Transforms[rng.Next(Transforms.Count)].Apply(target, rng);
}
