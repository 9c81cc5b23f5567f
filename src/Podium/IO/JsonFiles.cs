using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Podium.IO;

/// <summary>How Podium writes its JSON files: snake_case keys, indented, NaN and infinities allowed (a metric can be undefined).</summary>
public static class JsonFiles
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A number for a hand-built JSON node: null where it is undefined (NaN or infinite).</summary>
    public static JsonNode? Finite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
