namespace Podium.Config;

/// <summary>How an <see cref="Interval"/> option reads one number (without it, v means [v, v]).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OneNumberAttribute(OneNumber meaning, double from = 0) : Attribute
{
    public OneNumber Meaning { get; } = meaning;
    public double From { get; } = from;

    public Interval Read(double v) => Meaning switch
    {
        OneNumber.Symmetric => new(-Math.Abs(v), Math.Abs(v)),
        OneNumber.UpTo => new(From, v),
        _ => new(v, v),
    };
}
