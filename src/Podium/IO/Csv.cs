using System.Text;

namespace Podium.IO;

/// <summary>Minimal RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a BOM.</summary>
public static class Csv
{
    public static List<string[]> Read(string path)
    {
        var rows = new List<string[]>();
        var text = File.ReadAllText(path);
        var field = new StringBuilder();
        var row = new List<string>();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r') { }
            else if (c == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add([.. row]); row.Clear(); }
            else if (c != '\uFEFF' || i > 0) field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add([.. row]); }
        return rows.Where(r => !(r.Length == 1 && r[0].Length == 0)).ToList();
    }

    public static string Escape(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    public static string Line(IEnumerable<string> fields) => string.Join(',', fields.Select(Escape));
}
