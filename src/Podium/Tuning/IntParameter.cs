using System.Globalization;
using System.Text.Json.Nodes;

namespace Podium.Tuning;

/// <summary>An integer in [Low, High] on a grid of <see cref="Step"/>, or on a log scale.</summary>
public sealed record IntParameter(string Key, long Low, long High, bool Log, long Step,
    IReadOnlyDictionary<string, IReadOnlyList<string>> When) : SearchParameter(Key, When)
{
    public override JsonObject Distribution() => new()
    {
        ["name"] = "IntDistribution",
        ["attributes"] = new JsonObject { ["log"] = Log, ["step"] = Step, ["low"] = Low, ["high"] = High },
    };

    public override string Text(double value) => ((long)Math.Round(value)).ToString(CultureInfo.InvariantCulture);

    public override bool Contains(double value) => value == Math.Round(value) && value >= Low && value <= High
        && ((long)value - Low) % Step == 0;
}
