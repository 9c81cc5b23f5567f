namespace Podium.Evaluation;

/// <summary>
/// The search behind tuned decision thresholds: one coordinate at a time tries every grid value and keeps the best,
/// for a few rounds or until a round changes nothing. Only a strictly better score moves a coordinate, so ties keep
/// the starting value (or the value found earlier).
/// </summary>
public static class CoordinateAscent
{
    /// <returns>The tuned values (the <paramref name="start"/> array, changed in place), the score before and after.</returns>
    public static (double[] Values, double Before, double After) Tune(double[] start, IReadOnlyList<double> grid, Func<double[],
        double> score, bool lowerIsBetter, int rounds)
    {
        double sign = lowerIsBetter ? -1 : 1;
        double before = score(start), best = before;
        for (int round = 0; round < rounds; round++)
        {
            bool improved = false;
            for (int c = 0; c < start.Length; c++)
            {
                double keep = start[c];
                foreach (var g in grid)
                {
                    start[c] = g;
                    double s = score(start);
                    if (sign * (s - best) > 1e-12) { best = s; keep = g; improved = true; }
                }
                start[c] = keep;
            }
            if (!improved) break;
        }
        return (start, before, best);
    }
}
