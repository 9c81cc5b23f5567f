namespace Podium.Tuning;

/// <summary>
/// Independent uniform draws (log-uniform on a log scale, uniform over a grid's points or a choice's values), as Optuna's
/// RandomSampler. Trial N's draws depend only on the seed and N (hashed together), so any worker draws the same values for the same
/// trial.
/// </summary>
public sealed class RandomSampler(int seed) : ISampler
{
    public IReadOnlyDictionary<string, double>? Suggest(SearchSpace space, IReadOnlyList<Tracking.StudyTrial> trials, int number)
    {
        // Hashed, not seed * a + N * b: System.Random's first draws for seeds in arithmetic progression are themselves one
        // (0.61, 0.69, 0.78... for trials 0, 1, 2), which put the trials of a study on a few lines.
        var rng = new Random(Platform.Seeds.For(seed, number, -17));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in space.Parameters)
        {
            if (!p.Active(texts)) continue;
            values[p.Key] = FromUnit(p, rng.NextDouble());
            texts[p.Key] = p.Text(values[p.Key]);
        }
        return values;
    }

    /// <summary>The lowest value of a numeric parameter (stored form).</summary>
    public static double Low(SearchParameter parameter) => parameter switch
    {
        FloatParameter f => f.Low,
        IntParameter i => i.Low,
        _ => 0,
    };

    /// <summary>The value at <paramref name="u"/> in [0, 1) of the parameter's uniform measure (log-uniform on a log scale,
    /// uniform over a grid's points or a choice's values): what a uniform draw, or a quasi-random point, becomes.</summary>
    public static double FromUnit(SearchParameter parameter, double u) => parameter switch
    {
        FloatParameter { Log: true } f => Math.Exp(Math.Log(f.Low) + u * (Math.Log(f.High) - Math.Log(f.Low))),
        FloatParameter { Step: { } s } f => f.Low + s * Cell(u, (long)Math.Floor((f.High - f.Low) / s + 1e-9) + 1),
        FloatParameter f => f.Low + u * (f.High - f.Low),
        // As Optuna: a log-scale integer is drawn over [low - 0.5, high + 0.5] in log space and rounded.
        IntParameter { Log: true } i => Math.Clamp(Math.Round(Math.Exp(Math.Log(i.Low - 0.5) + u
            * (Math.Log(i.High + 0.5) - Math.Log(i.Low - 0.5)))), i.Low, i.High),
        IntParameter i => i.Low + i.Step * Cell(u, (i.High - i.Low) / i.Step + 1),
        CategoricalParameter c => Cell(u, c.Choices.Count),
        _ => throw new ArgumentOutOfRangeException(nameof(parameter)),
    };

    /// <summary>Which of <paramref name="n"/> equal cells of [0, 1) holds u.</summary>
    private static long Cell(double u, long n) => Math.Min((long)(u * n), n - 1);
}
