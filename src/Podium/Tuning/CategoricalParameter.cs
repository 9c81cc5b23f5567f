using System.Text.Json.Nodes;

namespace Podium.Tuning;

/// <summary>One of several values: scalars (a model name, a boolean) or whole config blocks (a list of transforms), each kept as
/// the YAML text <c>--set</c> takes. Optuna stores the choice's index; its choices are numbers, booleans or strings (a block
/// is its flow-YAML string).</summary>
public sealed record CategoricalParameter(string Key, IReadOnlyList<string> Choices,
    IReadOnlyDictionary<string, IReadOnlyList<string>> When) : SearchParameter(Key, When)
{
    public override JsonObject Distribution() => new()
    {
        ["name"] = "CategoricalDistribution",
        ["attributes"] = new JsonObject { ["choices"] = new JsonArray([.. Choices.Select(Json)]) },
    };

    public override string Text(double value) => Choices[(int)value];

    public override bool Contains(double value) => value == Math.Round(value) && value >= 0 && value < Choices.Count;

    // As Optuna would hold the value YAML reads: a number, a boolean, or text.
    private static JsonNode? Json(string choice) =>
        double.TryParse(choice, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
            ? JsonValue.Create(d) : choice is "true" or "false" ? JsonValue.Create(choice == "true") : JsonValue.Create(choice);
}
