using Podium.Config;

namespace Podium.Augment;

/// <summary>
/// A transform applied with probability p (albumentations' <c>p</c>). Its options are checked here, so a transform made in
/// C# keeps the same rules as one read from a config. A subclass's field initializers run before this check: they read unset
/// sizes as 0 and leave the check to name them.
/// </summary>
public abstract class RandomTransform(RandomOptions options) : ITransform
{
    /// <summary>The options it was made with (every default filled in).</summary>
    public RandomOptions Settings { get; } = OptionRules.Check(options);

    public double P => Settings.P;

    public void Apply(AugmentTarget target, Random rng)
    {
        // The draw happens even at p = 1, so adding or removing a transform's p never shifts the
        // random stream of the transforms after it.
        if (rng.NextDouble() < P) Run(target, rng);
    }

    protected abstract void Run(AugmentTarget target, Random rng);
}
