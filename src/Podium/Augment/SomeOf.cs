namespace Podium.Augment;

/// <summary>Applies <c>n</c> distinct transforms chosen at random, in list order (with probability p).</summary>
[Transform("some_of")]
public sealed class SomeOf(SomeOf.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        public Options() => P = 1;

        public IReadOnlyList<ITransform> Transforms { get; init; } = [];
        public int N { get; init; } = 1;

        public override void Validate()
        {
            if (Transforms.Count == 0) throw new ConfigException("needs transforms: [...]");
            if (N < 0 || N > Transforms.Count) throw new ConfigException($"n must be between 0 and {Transforms.Count}, got {N}");
        }
    }

    public IReadOnlyList<ITransform> Transforms => o.Transforms;
    public int N => o.N;

    protected override void Run(AugmentTarget target, Random rng)
    {
        var order = Enumerable.Range(0, Transforms.Count).ToArray();
        rng.Shuffle(order);
        foreach (var i in order[..N].Order()) Transforms[i].Apply(target, rng);
    }
}
