using System.Numerics;

namespace Podium.Eda;

/// <summary>
/// Exact duplicates by SHA-256 of the bytes; near duplicates by perceptual hash within a Hamming
/// distance, confirmed by the correlation of the 32x32 thumbnails and by close colour means. The confirmation matters for
/// documents: receipts all share one low-frequency layout (white paper, dark lines), so pHash
/// alone calls dozens of different receipts identical.
/// </summary>
public static class Duplicates
{
    /// <summary>
    /// Exact duplicates as stars (the first file of a group of identical ones paired with each of
    /// the others: n - 1 pairs, not n²/2, for a thousand identical blanks); near duplicates among
    /// one representative per exact group.
    /// </summary>
    public static List<DuplicatePair> Find(IReadOnlyList<ImageFacts> facts, int maxHashDistance, double minSimilarity)
    {
        var pairs = new List<DuplicatePair>();
        var representatives = new List<ImageFacts>();
        foreach (var group in facts.Where(f => f.Readable).GroupBy(f => f.Sha256.Length > 0 ? f.Sha256 : $"#{f.Set}#{f.Index}"))
        {
            var members = group.ToArray();
            representatives.Add(members[0]);
            for (int k = 1; k < members.Length; k++) pairs.Add(new DuplicatePair(members[0], members[k], true, 0, 1));
        }
        var reps = representatives.ToArray();
        var hashes = reps.Select(f => f.PHash).ToArray();
        // All pairs: 12.5 million popcounts for 5,000 images, a few tens of milliseconds.
        var found = new List<DuplicatePair>?[reps.Length];
        Parallel.For(0, reps.Length, i =>
        {
            for (int j = i + 1; j < reps.Length; j++)
            {
                int distance = BitOperations.PopCount(hashes[i] ^ hashes[j]);
                if (distance > maxHashDistance) continue;
                double similarity = Correlation(reps[i].Thumb, reps[j].Thumb);
                if (similarity >= minSimilarity) (found[i] ??= []).Add(new DuplicatePair(reps[i], reps[j], false, distance, similarity));
            }
        });
        foreach (var list in found) if (list is not null) pairs.AddRange(list);
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
