namespace Podium.Tuning;

/// <summary>
/// Independent uniform draws (log-uniform on a log scale, uniform over a grid's points or a choice's values), as Optuna's
/// RandomSampler. Trial N's draws depend only on the seed and N, so any worker draws the same values for the same trial.
/// </summary>
public sealed class RandomSampler(int seed) : ISampler
{
    public IReadOnlyDictionary<string, double>? Suggest(SearchSpace space, IReadOnlyList<Tracking.StudyTrial> trials, int number)
    {
        var rng = new Random(unchecked(seed * 1_000_003 + number * 7919 + 17));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in space.Parameters)
        {
            if (!p.Active(texts)) continue;
            values[p.Key] = Draw(p, rng);
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

    public static double Draw(SearchParameter parameter, Random rng) => parameter switch
    {
        FloatParameter { Log: true } f => Math.Exp(Math.Log(f.Low) + rng.NextDouble() * (Math.Log(f.High) - Math.Log(f.Low))),
        FloatParameter { Step: { } s } f => f.Low + s * rng.NextInt64(0, (long)Math.Floor((f.High - f.Low) / s + 1e-9) + 1),
        FloatParameter f => f.Low + rng.NextDouble() * (f.High - f.Low),
        // As Optuna: a log-scale integer is drawn over [low - 0.5, high + 0.5] in log space and rounded.
        IntParameter { Log: true } i => Math.Clamp(Math.Round(Math.Exp(Math.Log(i.Low - 0.5) + rng.NextDouble()
            * (Math.Log(i.High + 0.5) - Math.Log(i.Low - 0.5)))), i.Low, i.High),
        IntParameter i => i.Low + i.Step * rng.NextInt64(0, (i.High - i.Low) / i.Step + 1),
        CategoricalParameter c => rng.Next(c.Choices.Count),
        _ => throw new ArgumentOutOfRangeException(nameof(parameter)),
    };
}
