namespace Podium.Data;

/// <summary>Seeded, stratified splits of a dataset's indices.</summary>
public static class Splits
{
    /// <summary>
    /// Holds out <paramref name="fraction"/> of every class (rounded, at least one sample of any
    /// class with two or more) for validation. The same labels and seed give the same split.
    /// </summary>
    public static (int[] Train, int[] Val) StratifiedHoldout(IReadOnlyList<int> labels, double fraction, int seed)
    {
        var rng = new Random(seed);
        var train = new List<int>();
        var val = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            rng.Shuffle(members);
            int nVal = (int)Math.Round(members.Length * fraction, MidpointRounding.AwayFromZero);
            if (fraction > 0 && nVal == 0 && members.Length >= 2) nVal = 1;
            val.AddRange(members[..nVal]);
            train.AddRange(members[nVal..]);
        }
        train.Sort();
        val.Sort();
        return ([.. train], [.. val]);
    }

    /// <summary>
    /// The stratified hold-out over groups: whole groups go to one side, groups stratified by the
    /// label of their first member. Without groups, the plain per-sample hold-out.
    /// </summary>
    public static (int[] Train, int[] Val) StratifiedGroupHoldout(IReadOnlyList<int> labels, IReadOnlyList<string>? groups, double fraction, int seed)
    {
        if (groups is null) return StratifiedHoldout(labels, fraction, seed);
        var members = Enumerable.Range(0, labels.Count).GroupBy(i => groups[i], StringComparer.Ordinal).Select(g => g.ToArray()).ToArray();
        var (trainGroups, valGroups) = StratifiedHoldout(members.Select(m => labels[m[0]]).ToArray(), fraction, seed);
        int[] Expand(int[] chosen) => chosen.SelectMany(g => members[g]).Order().ToArray();
        return (Expand(trainGroups), Expand(valGroups));
    }

    /// <summary>Writes path,label,subset rows: the split a run used, reusable by other tools.</summary>
    public static void WriteCsv(string path, ImageDataset data, int[] train, int[] val)
    {
        var lines = new List<string> { "path,label,subset" };
        string Label(int i) => data.Label(i) >= 0 ? data.Classes[data.Label(i)] : "";
        lines.AddRange(train.Select(i => Csv.Line([data.Locate(i), Label(i), "train"])));
        lines.AddRange(val.Select(i => Csv.Line([data.Locate(i), Label(i), "val"])));
        Tracking.AtomicFile.WriteAllLines(path, lines);
    }
}
