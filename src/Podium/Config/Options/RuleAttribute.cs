namespace Podium.Config;

/// <summary>
/// A rule on one number an option holds (on both ends of an <see cref="Interval"/>, on both sides of a
/// <see cref="HeightWidth"/>), stated once beside the option's default and checked however the options were made.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true)]
public abstract class RuleAttribute : Attribute
{
    /// <summary>Why <paramref name="v"/> breaks the rule, as the end of "KEY ...", or null when it keeps it.</summary>
    public abstract string? Problem(double v);
}
