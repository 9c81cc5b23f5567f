using System.Globalization;
using System.Text.Json.Nodes;

namespace Podium.Tuning;

/// <summary>A real value in [Low, High], searched on a log scale or on a grid of <see cref="Step"/>.</summary>
public sealed record FloatParameter(string Key, double Low, double High, bool Log, double? Step,
    IReadOnlyDictionary<string, IReadOnlyList<string>> When) : SearchParameter(Key, When)
{
    public override JsonObject Distribution() => new()
    {
        ["name"] = "FloatDistribution",
        ["attributes"] = new JsonObject { ["step"] = Step, ["low"] = Low, ["high"] = High, ["log"] = Log },
    };

    public override string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public override bool Contains(double value) => value >= Low && value <= High
        && (Step is not { } s || Math.Abs(Math.Round((value - Low) / s) * s - (value - Low)) <= 1e-9 * Math.Max(1, Math.Abs(High)));
}
