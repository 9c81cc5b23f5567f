using Podium.Config;

namespace Podium.Augment;

/// <summary>The kernel size range the blurs share: odd sizes in blur_limit (one number v means [3, v]).</summary>
public abstract record BlurOptions : RandomOptions
{
    [OneNumber(OneNumber.UpTo, 3)] public Interval BlurLimit { get; init; } = new(3, 7);

    public override void Validate()
    {
        if (BlurLimit.Lo < 1 || BlurLimit.Hi > 99) throw new ConfigException($"blur_limit must be within [1, 99], got {BlurLimit}");
        int lo = (int)BlurLimit.Lo, hi = (int)BlurLimit.Hi;
        if (lo % 2 == 0 && lo == hi) throw new ConfigException($"blur_limit {BlurLimit} holds no odd kernel size");
    }
}
