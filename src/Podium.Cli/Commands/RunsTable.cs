using System.Globalization;
using System.Text.Json;
using Podium.IO;

namespace Podium.Cli;

/// <summary>Rows of named cells written as aligned columns (never wrapped: piped output stays one line a row), JSON or CSV.</summary>
public static class RunsTable
{
    public static void Write(string format, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        switch (format)
        {
            case "json":
                Console.WriteLine(JsonSerializer.Serialize(rows.Select(r => columns.Zip(r).ToDictionary(p => p.First, p => Json(p.Second))),
                    JsonFiles.Options));
                break;
            case "csv":
                Console.WriteLine(Csv.Line(columns));
                foreach (var r in rows) Console.WriteLine(Csv.Line(r));
                break;
            default:
                var widths = columns.Select((c, i) => rows.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
                string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
                Console.WriteLine(Line(columns));
                foreach (var r in rows) Console.WriteLine(Line(r));
                break;
        }
    }

    // Numbers stay numbers in JSON; an empty cell is null.
    private static object? Json(string cell) =>
        cell.Length == 0 ? null : double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : cell;

    public static string Number(double v) => double.IsFinite(v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "";

    public static string Time(DateTime utc) => utc.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan t) => t.TotalHours >= 1 ? F($"{(int)t.TotalHours}h{t.Minutes:00}m")
        : t.TotalMinutes >= 1 ? F($"{(int)t.TotalMinutes}m{t.Seconds:00}s") : F($"{t.TotalSeconds:F0}s");
}
