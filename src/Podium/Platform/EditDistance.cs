namespace Podium.Platform;

/// <summary>Levenshtein distance: the fewest single-character insertions, deletions and substitutions turning one string into
/// the other (config-key suggestions, character error rates).</summary>
public static class EditDistance
{
    public static int Levenshtein(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int previous = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }

    /// <summary>Whether <paramref name="a"/> is at most <paramref name="max"/> edits from <paramref name="b"/>: only the diagonal band
    /// of width 2·max + 1 is filled, and the scan stops once a whole row is over (a lexicon is searched this way, line by line).
    /// </summary>
    public static bool Within(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max) return false;
        const int Far = int.MaxValue / 2;
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j <= max ? j : Far;
        for (int i = 1; i <= a.Length; i++)
        {
            int lo = Math.Max(1, i - max), hi = Math.Min(b.Length, i + max), best = Far;
            int previous = row[lo - 1];
            row[lo - 1] = lo == 1 && i <= max ? i : Far;
            best = Math.Min(best, row[lo - 1]);
            for (int j = lo; j <= hi; j++)
            {
                int current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
                best = Math.Min(best, row[j]);
            }
            if (hi < b.Length) row[hi + 1] = Far;
            if (best > max) return false;
        }
        return row[b.Length] <= max;
    }
}
