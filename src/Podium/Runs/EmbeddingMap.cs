using System.Globalization;
using System.Text;
using OpenCvSharp;
using Podium.Data;
using Podium.Evaluation;
using Podium.IO;
using Podium.Reporting;

namespace Podium.Runs;

/// <summary>
/// <c>podium embed --map</c>: the embeddings drawn on a plane by t-SNE (a seeded sample of <see cref="Tsne.MaxPoints"/> beyond
/// that): map.csv (each image's x, y, label and cluster), map.png (a colour per label) and map.html, the same points where
/// hovering one shows its image, path, label and cluster.
/// </summary>
public static class EmbeddingMap
{
    private const int Thumb = 96;

    /// <param name="clusters">Each row's k-means cluster, when clustered.</param>
    public static TsneResult Write(EmbeddingSet set, ImageDataset data, int[]? clusters, string outDir, int seed, Action<string> log)
    {
        int[] rows = PointMath.Sample(set.Count, Tsne.MaxPoints, seed);
        if (rows.Length < set.Count) log($"t-SNE: a seeded sample of {Tsne.MaxPoints} of the {set.Count} images");
        var points = PointMath.Rows(set.Vectors, rows);
        // scikit-learn refuses a perplexity of n or more; small sets get a third of theirs.
        double perplexity = Math.Min(30, Math.Max(1, (rows.Length - 1) / 3.0));
        var result = Tsne.Fit(points, perplexity);
        string Label(int r) => data.Label(set.Indices[r]) is var l and >= 0 ? data.Classes[l] : "";
        string Cluster(int r) => clusters is null ? "" : clusters[r].ToString(CultureInfo.InvariantCulture);
        string[] labels = [.. rows.Select(Label)];

        Directory.CreateDirectory(outDir);
        AtomicFile.WriteAllLines(Path.Combine(outDir, "map.csv"), ["path,x,y,label,cluster",
            .. rows.Select((r, i) => Csv.Line([data.Locate(set.Indices[r]), result.Map[i, 0].ToString("G6", CultureInfo.InvariantCulture),
                result.Map[i, 1].ToString("G6", CultureInfo.InvariantCulture), labels[i], Cluster(r)]))]);
        string title = $"t-SNE of {rows.Length} embeddings (perplexity {perplexity:0.#}, KL {result.KlDivergence:F3})";
        Plots.Map(result.Map, labels, title, Path.Combine(outDir, "map.png"));
        Page(result.Map, rows.Select((r, i) => (Index: set.Indices[r], Label: labels[i], Cluster: Cluster(r))).ToList(), data, title)
            .Save(Path.Combine(outDir, "map.html"));
        return result;
    }

    /// <summary>An SVG of the points, a colour per label; hovering a point shows its thumbnail and names.</summary>
    private static HtmlPage Page(float[,] map, IReadOnlyList<(int Index, string Label, string Cluster)> points, ImageDataset data,
        string title)
    {
        const int Size = 900, Margin = 20;
        var xs = Enumerable.Range(0, points.Count).Select(i => map[i, 0]).ToArray();
        var ys = Enumerable.Range(0, points.Count).Select(i => map[i, 1]).ToArray();
        var (xLo, xHi, yLo, yHi) = (xs.Min(), xs.Max(), ys.Min(), ys.Max());
        double Scale(float v, float lo, float hi) => Margin + (Size - 2 * Margin) * (hi > lo ? (v - lo) / (hi - lo) : 0.5);
        string[] palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
        var order = points.Select(p => p.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        var svg = new StringBuilder($"<svg id=\"map\" width=\"{Size}\" height=\"{Size}\" style=\"border:1px solid #ccc\">");
        var thumbs = new StringBuilder("[");
        for (int i = 0; i < points.Count; i++)
        {
            var (index, label, cluster) = points[i];
            string colour = palette[order.IndexOf(label) % palette.Length];
            string name = $"{data.Locate(index)} · {label}" + (cluster.Length > 0 ? " · cluster " + cluster : "");
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Scale(xs[i], xLo, xHi):F1}\" ")
                .Append(CultureInfo.InvariantCulture, $"cy=\"{Size - Scale(ys[i], yLo, yHi):F1}\" r=\"3.5\" ")
                .Append($"fill=\"{colour}\" data-i=\"{i}\" data-name=\"{HtmlPage.E(name)}\"/>");
            thumbs.Append('"').Append(Thumbnail(data, index)).Append("\",");
        }
        svg.Append("</svg>");
        thumbs.Append(']');
        var legend = string.Join(" ", order.Select((l, k) =>
            $"<span style=\"color:{palette[k % palette.Length]}\">● {HtmlPage.E(l.Length == 0 ? "(unlabelled)" : l)}</span>"));
        return new HtmlPage(title).Raw($"<p>{legend}</p>").Raw(svg.ToString()).Raw(
            "<div id=\"tip\" style=\"position:fixed;display:none;background:#fff;border:1px solid #999;padding:4px;font-size:12px;" +
            "max-width:260px\"><img id=\"tipimg\" style=\"display:block;max-width:256px\"><span id=\"tipname\"></span></div>" +
            $"<script>const thumbs={thumbs};" + """
            const tip=document.getElementById('tip');
            document.getElementById('map').addEventListener('mousemove',e=>{const c=e.target.closest('circle');
              if(!c){tip.style.display='none';return;}
              document.getElementById('tipimg').src='data:image/jpeg;base64,'+thumbs[+c.dataset.i];
              document.getElementById('tipname').textContent=c.dataset.name;
              tip.style.left=(e.clientX+14)+'px';tip.style.top=(e.clientY+14)+'px';tip.style.display='block';});
            </script>
            """);
    }

    private static string Thumbnail(ImageDataset data, int index)
    {
        using var image = data.Read(index, 3);
        double scale = (double)Thumb / Math.Max(image.Width, image.Height);
        using var small = image.Resize(new Size(Math.Max(1, (int)(image.Width * scale)), Math.Max(1, (int)(image.Height * scale))),
            interpolation: InterpolationFlags.Area);
        Cv2.CvtColor(small, small, ColorConversionCodes.RGB2BGR); // datasets read RGB; JPEG is written from BGR
        Cv2.ImEncode(".jpg", small, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 80));
        return Convert.ToBase64String(jpeg);
    }
}
