namespace Podium.Data;

/// <summary>
/// Seeded splits of a dataset's indices: stratified hold-outs (two or more subsets), stratified,
/// group and stratified-group k-fold, and toy subsets. The same labels, groups and seed always give
/// the same split. Groups (one person, one source image) never straddle two subsets or folds.
/// </summary>
public static class Splits
{
    /// <summary>
    /// Holds out <paramref name="fraction"/> of every class (rounded, at least one sample of any
    /// class with two or more) for validation. The same labels and seed give the same split.
    /// </summary>
    public static (int[] Train, int[] Val) StratifiedHoldout(IReadOnlyList<int> labels, double fraction, int seed)
    {
        var subset = StratifiedSubsets(labels, [fraction], seed);
        return (Where(subset, 0), Where(subset, 1));
    }

    /// <summary>The stratified hold-out over groups (whole groups on one side); without groups, per sample.</summary>
    public static (int[] Train, int[] Val) StratifiedGroupHoldout(IReadOnlyList<int> labels, IReadOnlyList<string>? groups, double fraction,
        int seed)
    {
        var subset = StratifiedSubsets(labels, groups, [fraction], seed);
        return (Where(subset, 0), Where(subset, 1));
    }

    /// <summary>The indices assigned to <paramref name="value"/>, ascending.</summary>
    public static int[] Where(int[] assignment, int value) => Enumerable.Range(0,
        assignment.Length).Where(i => assignment[i] == value).ToArray();

    /// <summary>
    /// Subset of every sample: 0 for the remainder, k for the k-th of <paramref name="fractions"/>.
    /// Per class, members are shuffled and each subset takes its rounded share off the front; a
    /// subset with a positive fraction gets at least one member of any class with two or more
    /// (or of every class, with <paramref name="everyClass"/>, for toy sets); the remainder (the training side) keeps at least
    /// one of every class, else a large fraction, or rounding for a class of one, would take it off that side whole.
    /// </summary>
    public static int[] StratifiedSubsets(IReadOnlyList<int> labels, double[] fractions, int seed, bool everyClass = false)
    {
        var rng = new Random(seed);
        var subset = new int[labels.Count];
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            rng.Shuffle(members);
            int taken = 0;
            for (int k = 0; k < fractions.Length; k++)
            {
                int n = (int)Math.Round(members.Length * fractions[k], MidpointRounding.AwayFromZero);
                if (fractions[k] > 0 && n == 0 && (members.Length >= 2 || everyClass)) n = 1;
                n = Math.Min(n, members.Length - taken - (everyClass ? 0 : 1));
                n = Math.Max(n, 0);
                for (int j = taken; j < taken + n; j++) subset[members[j]] = k + 1;
                taken += n;
            }
        }
        return subset;
    }

    /// <summary><see cref="StratifiedSubsets(IReadOnlyList{int}, double[], int, bool)"/> over whole groups, each stratified by its first
    /// member's label.</summary>
    public static int[] StratifiedSubsets(IReadOnlyList<int> labels, IReadOnlyList<string>? groups, double[] fractions, int seed,
        bool everyClass = false)
    {
        if (groups is null) return StratifiedSubsets(labels, fractions, seed, everyClass);
        var members = GroupMembers(groups);
        var perGroup = StratifiedSubsets(members.Select(m => labels[m[0]]).ToArray(), fractions, seed, everyClass);
        return Expand(members, perGroup, labels.Count);
    }

    /// <summary>Stratified k-fold: per class, shuffled members go round the folds, continuing where the previous class stopped,
    /// so every fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ of each class and the fold sizes differ by at most one.</summary>
    public static int[] StratifiedKFold(IReadOnlyList<int> labels, int k, int seed)
    {
        var rng = new Random(seed);
        var fold = new int[labels.Count];
        int next = 0;
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            rng.Shuffle(members);
            foreach (var m in members) { fold[m] = next; next = (next + 1) % k; }
        }
        return fold;
    }

    /// <summary>Group k-fold: groups, largest first (seeded order among equals), each to the fold with the fewest samples.</summary>
    public static int[] GroupKFold(IReadOnlyList<string> groups, int k, int seed)
    {
        var members = GroupMembers(groups);
        var order = Enumerable.Range(0, members.Length).ToArray();
        new Random(seed).Shuffle(order);
        var sizes = new int[k];
        var perGroup = new int[members.Length];
        foreach (var g in order.OrderByDescending(g => members[g].Length))
        {
            int best = Array.IndexOf(sizes, sizes.Min());
            perGroup[g] = best;
            sizes[best] += members[g].Length;
        }
        return Expand(members, perGroup, groups.Count);
    }

    /// <summary>
    /// Stratified group k-fold (scikit-learn's algorithm): groups in seeded order, the most
    /// class-skewed first, each to the fold that keeps the per-class fold shares most even
    /// (least mean standard deviation across folds), ties to the smallest fold.
    /// </summary>
    public static int[] StratifiedGroupKFold(IReadOnlyList<int> labels, IReadOnlyList<string> groups, int k, int seed)
    {
        var members = GroupMembers(groups);
        var classes = labels.Distinct().Order().ToArray();
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i);
        int C = classes.Length;
        var counts = members.Select(m =>
        {
            var v = new double[C];
            foreach (var i in m) v[classIndex[labels[i]]]++;
            return v;
        }).ToArray();
        var totals = new double[C];
        foreach (var v in counts) for (int c = 0; c < C; c++) totals[c] += v[c];

        var order = Enumerable.Range(0, members.Length).ToArray();
        new Random(seed).Shuffle(order);
        order = order.OrderByDescending(g => StdDev(counts[g])).ToArray();
        var foldCounts = new double[k][];
        for (int f = 0; f < k; f++) foldCounts[f] = new double[C];
        var foldSizes = new int[k];
        var perGroup = new int[members.Length];
        foreach (var g in order)
        {
            int best = -1;
            double bestSpread = double.MaxValue;
            for (int f = 0; f < k; f++)
            {
                for (int c = 0; c < C; c++) foldCounts[f][c] += counts[g][c];
                double spread = 0;
                for (int c = 0; c < C; c++) spread += StdDev(Enumerable.Range(0, k).Select(x => foldCounts[x][c] / totals[c]).ToArray());
                spread /= C;
                for (int c = 0; c < C; c++) foldCounts[f][c] -= counts[g][c];
                if (spread < bestSpread - 1e-12 || (Math.Abs(spread - bestSpread) <= 1e-12 && foldSizes[f] < foldSizes[best]))
                    (best, bestSpread) = (f, spread);
            }
            perGroup[g] = best;
            for (int c = 0; c < C; c++) foldCounts[best][c] += counts[g][c];
            foldSizes[best] += members[g].Length;
        }
        return Expand(members, perGroup, labels.Count);
    }

    private static double StdDev(double[] v)
    {
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }

    /// <summary>The members of each group, groups in order of first appearance.</summary>
    private static int[][] GroupMembers(IReadOnlyList<string> groups) =>
        Enumerable.Range(0, groups.Count).GroupBy(i => groups[i], StringComparer.Ordinal).Select(g => g.ToArray()).ToArray();

    private static int[] Expand(int[][] members, int[] perGroup, int count)
    {
        var result = new int[count];
        for (int g = 0; g < members.Length; g++)
            foreach (var i in members[g]) result[i] = perGroup[g];
        return result;
    }

    /// <summary>Writes path,label,subset rows: the split a run used, reusable by other tools.</summary>
    public static void WriteCsv(string path, ImageDataset data, int[] train, int[] val)
    {
        var subset = new string?[data.Count];
        foreach (var i in train) subset[i] = "train";
        foreach (var i in val) subset[i] = "val";
        SplitFile.Write(path, data, SplitFile.SubsetColumn, subset, relative: false);
    }
}
