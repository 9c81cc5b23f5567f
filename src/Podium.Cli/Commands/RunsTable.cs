using System.Globalization;
using System.Text.Json;
using Podium.IO;

namespace Podium.Cli;

/// <summary>
/// Rows of named cells written as aligned columns (never wrapped: piped output stays one line a row), JSON or CSV. A cell is text,
/// a number (int or double) or null for none; its type, not its look, decides what JSON gets, so a run id of digits stays a string.
/// </summary>
public static class RunsTable
{
    public static void Write(string format, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        switch (format)
        {
            case "json":
                Console.WriteLine(JsonSerializer.Serialize(rows.Select(r => columns.Zip(r).ToDictionary(p => p.First, p => Json(p.Second))),
                    JsonFiles.Options));
                break;
            case "csv":
                Console.WriteLine(Csv.Line(columns));
                foreach (var r in rows) Console.WriteLine(Csv.Line([.. r.Select(Text)]));
                break;
            default:
                var text = rows.Select(r => r.Select(Text).ToArray()).ToList();
                var widths = columns.Select((c, i) => text.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
                string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
                Console.WriteLine(Line(columns));
                foreach (var r in text) Console.WriteLine(Line(r));
                break;
        }
    }

    private static string Text(object? cell) => cell switch
    {
        null => "",
        double d => Number(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };

    // JSON has no NaN or infinity: those are null, as an empty cell is.
    private static object? Json(object? cell) => cell switch
    {
        double d when !double.IsFinite(d) => null,
        string { Length: 0 } => null,
        _ => cell,
    };

    public static string Number(double v) => double.IsFinite(v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "";

    public static string Time(DateTime utc) => utc.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan t) => t.TotalHours >= 1 ? F($"{(int)t.TotalHours}h{t.Minutes:00}m")
        : t.TotalMinutes >= 1 ? F($"{(int)t.TotalMinutes}m{t.Seconds:00}s") : F($"{t.TotalSeconds:F0}s");
}
