using System.Net;
using System.Text;
using Podium.IO;

namespace Podium.Reporting;

/// <summary>A self-contained HTML page (PNGs inlined as data URIs) built section by section; shared by every report.</summary>
public sealed class HtmlPage
{
    private readonly StringBuilder _html = new();

    public HtmlPage(string title)
    {
        _html.Append($$"""
            <!doctype html><html><head><meta charset="utf-8"><title>{{E(title)}}</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
            table{border-collapse:collapse;margin:1em 0;max-width:100%}td{overflow-wrap:anywhere}
            td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}
            th{background:#f0f3f7}td:first-child,th:first-child{text-align:left}img{max-width:100%;border:1px solid #ddd}
            pre{background:#f7f7f7;padding:1em;overflow:auto}.big{font-size:1.4em}.warn{color:#a33}
            </style></head><body><h1>{{E(title)}}</h1>
            """);
    }

    private HtmlPage() { }

    /// <summary>A part of a page, without its head (a notebook cell's output); <see cref="Body"/> is its HTML.</summary>
    public static HtmlPage Fragment() => new();

    /// <summary>The HTML so far (a fragment's whole content).</summary>
    public string Body => _html.ToString();

    public HtmlPage Heading(string text) { _html.Append($"<h2>{E(text)}</h2>"); return this; }

    /// <summary>Raw HTML: the caller escapes what it interpolates (with <see cref="E"/>).</summary>
    public HtmlPage Raw(string html) { _html.Append(html); return this; }

    public HtmlPage Paragraph(string text) => Raw($"<p>{E(text)}</p>");

    public HtmlPage Pre(string text) => Raw($"<pre>{E(text)}</pre>");

    /// <summary>Inlines a PNG; a missing file adds nothing.</summary>
    public HtmlPage Image(string path, string? title = null)
    {
        if (!File.Exists(path)) return this;
        if (title is not null) Heading(title);
        return Png(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    /// <summary>Inlines PNG bytes.</summary>
    public HtmlPage Png(byte[] png, string alt) =>
        Raw($"<img alt=\"{E(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">");

    /// <summary>A table whose first row is the header.</summary>
    public HtmlPage Table(IReadOnlyList<IReadOnlyList<string>> rows, string? title = null)
    {
        if (title is not null) Heading(title);
        _html.Append("<table>");
        for (int i = 0; i < rows.Count; i++)
        {
            string tag = i == 0 ? "th" : "td";
            _html.Append("<tr>").Append(string.Concat(rows[i].Select(c => $"<{tag}>{E(c)}</{tag}>"))).Append("</tr>");
        }
        _html.Append("</table>");
        return this;
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, _html + "</body></html>");

    public static string E(string s) => WebUtility.HtmlEncode(s);
}
