using System.Globalization;
using Podium.Data;
using Podium.Evaluation;
using Podium.IO;
using Podium.Reporting;
using static Podium.Platform.Invariant;

namespace Podium.Runs;

/// <summary>
/// Near-duplicates by embedding (podium embed --duplicates): the pairs of images whose cosine similarity reaches a threshold,
/// between the inputs and a gallery (test images against training ones: leakage, or a free label) or among the inputs. The
/// EDA's pixel hashes find copies; embeddings also find crops, resizes, recolourings and shots of the same thing. Each image's
/// nearest few are searched, so memory stays bounded: duplicates.csv, most similar first, and duplicates.png of the first pairs.
/// </summary>
public static class EmbeddingDuplicates
{
    /// <summary>Candidates searched per input image (a pair further down its list is not reported).</summary>
    public const int PerImage = 10;
    private const int Drawn = 24, PairsPerRow = 4;

    public static DuplicateReport Write(EmbeddingSet queries, ImageDataset queryData, EmbeddingSet gallery, ImageDataset galleryData,
        bool sameSet, double threshold, string folder)
    {
        var pairs = new List<(int Query, int Gallery, float Similarity)>();
        var seen = new HashSet<(int, int)>();
        int k = Math.Min(PerImage, gallery.Count - (sameSet ? 1 : 0));
        if (k > 0)
            Embeddings.Search(queries, gallery, k, sameSet, (start, n, positions, similarities) =>
            {
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < k && similarities[i * k + j] >= threshold; j++)
                    {
                        int q = start + i, g = (int)positions[i * k + j];
                        // Among the inputs a pair is found from either side: it is listed once.
                        if (!sameSet || seen.Add((Math.Min(q, g), Math.Max(q, g)))) pairs.Add((q, g, similarities[i * k + j]));
                    }
            });
        pairs.Sort((a, b) => b.Similarity.CompareTo(a.Similarity));
        string Path1(int q) => queryData.Locate(queries.Indices[q]);
        string Path2(int g) => galleryData.Locate(gallery.Indices[g]);
        string Label(int g) => galleryData.Label(gallery.Indices[g]) is >= 0 and var l ? ImageGrid.Cut(galleryData.Classes[l]) : "";
        var csv = Path.Combine(folder, "duplicates.csv");
        AtomicFile.WriteAllLines(csv, ["path,duplicate,similarity", .. pairs.Select(p => Csv.Line([Path1(p.Query), Path2(p.Gallery),
            p.Similarity.ToString("F6", CultureInfo.InvariantCulture)]))]);
        var png = Path.Combine(folder, "duplicates.png");
        CaptionedGallery.Write(queryData, [.. pairs.Take(Drawn).Chunk(PairsPerRow).Select(row => (IReadOnlyList<CaptionedGallery.Item>)
            [.. row.SelectMany(p => new[]
            {
                new CaptionedGallery.Item(queries.Indices[p.Query], ImageGrid.Cut(Path.GetFileName(Path1(p.Query))),
                    F($"cos {p.Similarity:F3}")),
                new CaptionedGallery.Item(gallery.Indices[p.Gallery], ImageGrid.Cut(Path.GetFileName(Path2(p.Gallery))), Label(p.Gallery),
                    galleryData),
            })])], png, flagFirst: false);
        int images = pairs.Select(p => p.Query).Distinct().Count();
        return new DuplicateReport(pairs.Count, images, threshold, csv, pairs.Count > 0 ? png : null);
    }
}
