using System.Numerics;

namespace Podium.Eda;

/// <summary>Two images that are the same file (Exact) or the same picture (near: re-encoded, resized, retouched).</summary>
public sealed record DuplicatePair(ImageFacts A, ImageFacts B, bool Exact, int HashDistance, double Similarity)
{
    /// <summary>One image in train and the other in test: the test score would be inflated.</summary>
    public bool CrossesSets => A.Set != B.Set;
}

/// <summary>
/// Exact duplicates by SHA-256 of the bytes; near duplicates by perceptual hash within a Hamming
/// distance, confirmed by the correlation of the 32x32 thumbnails. The confirmation matters for
/// documents: receipts all share one low-frequency layout (white paper, dark lines), so pHash
/// alone calls dozens of different receipts identical.
/// </summary>
public static class Duplicates
{
    public static List<DuplicatePair> Find(IReadOnlyList<ImageFacts> facts, int maxHashDistance, double minSimilarity)
    {
        var readable = facts.Where(f => f.Readable).ToArray();
        var pairs = new List<DuplicatePair>();
        var hashes = readable.Select(f => f.PHash).ToArray();
        // All pairs: 12.5 million popcounts for 5,000 images, a few tens of milliseconds.
        var found = new List<DuplicatePair>[readable.Length];
        Parallel.For(0, readable.Length, i =>
        {
            List<DuplicatePair>? mine = null;
            for (int j = i + 1; j < readable.Length; j++)
            {
                int distance = BitOperations.PopCount(hashes[i] ^ hashes[j]);
                bool exact = readable[i].Sha256 == readable[j].Sha256;
                if (!exact && distance > maxHashDistance) continue;
                double similarity = Correlation(readable[i].Thumb, readable[j].Thumb);
                if (exact || similarity >= minSimilarity)
                    (mine ??= []).Add(new DuplicatePair(readable[i], readable[j], exact, distance, similarity));
            }
            found[i] = mine ?? [];
        });
        foreach (var list in found) pairs.AddRange(list);
        return pairs;
    }

    public static double Correlation(float[] a, float[] b)
    {
        double dot = 0;
        for (int k = 0; k < a.Length; k++) dot += a[k] * b[k];
        return dot;
    }

    /// <summary>Connected groups of duplicates (a, b and c when a~b and b~c), largest first.</summary>
    public static List<List<ImageFacts>> Groups(IEnumerable<DuplicatePair> pairs)
    {
        var parent = new Dictionary<ImageFacts, ImageFacts>(ReferenceEqualityComparer.Instance);
        ImageFacts Root(ImageFacts x)
        {
            while (parent.TryGetValue(x, out var p) && !ReferenceEquals(p, x)) x = p;
            return x;
        }
        foreach (var p in pairs)
        {
            parent.TryAdd(p.A, p.A);
            parent.TryAdd(p.B, p.B);
            var (ra, rb) = (Root(p.A), Root(p.B));
            if (!ReferenceEquals(ra, rb)) parent[rb] = ra;
        }
        return parent.Keys.GroupBy(Root, ReferenceEqualityComparer.Instance)
            .Select(g => g.Cast<ImageFacts>().OrderBy(f => f.Set).ThenBy(f => f.Path, StringComparer.Ordinal).ToList())
            .OrderByDescending(g => g.Count).ThenBy(g => g[0].Path, StringComparer.Ordinal).ToList();
    }
}
