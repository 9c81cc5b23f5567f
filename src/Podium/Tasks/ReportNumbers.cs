using System.Globalization;
using System.Text.Json;

namespace Podium.Tasks;

/// <summary>How the tasks' report parts print a figure of summary.json or evaluation.json.</summary>
internal static class ReportNumbers
{
    /// <summary>The number at <paramref name="key"/> with 4 decimals, or "-" when the record lacks it.</summary>
    public static string F(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("F4",
            CultureInfo.InvariantCulture) : "-";
}
