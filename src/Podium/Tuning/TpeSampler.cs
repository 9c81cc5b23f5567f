using Podium.Tracking;

namespace Podium.Tuning;

/// <summary>
/// The tree-structured Parzen estimator, as Optuna's TPESampler (3.1) with its defaults: after <see cref="StartupTrials"/>
/// random trials, the finished trials split into the best ceil(10%) (at most 25) and the rest; <see cref="Candidates"/> draws
/// from the best ones' density l(x) compete on l(x)/g(x). Multivariate (the default): the parameters every trial has are
/// drawn jointly; conditional ones, each on its own from the trials that have it. Pruned trials rank by their last epoch
/// (later epochs first); with the constant liar (the default), other workers' running trials count as the worst, so
/// parallel workers spread out. Trial N draws from a generator seeded by the seed and N alone.
/// </summary>
public sealed class TpeSampler(int seed, bool maximize, bool multivariate = true, bool constantLiar = true) : ISampler
{
    public int StartupTrials { get; init; } = 10;

    public int Candidates { get; init; } = 24;

    /// <summary>What draws the start-up trials (Optuna's: random; a <see cref="QmcSampler"/> covers the space more evenly).</summary>
    public ISampler Startup { get; init; } = new RandomSampler(seed);

    public IReadOnlyDictionary<string, double>? Suggest(SearchSpace space, IReadOnlyList<StudyTrial> trials, int number)
    {
        var observed = trials.Where(t => t.Number != number && Ranked(t) is not null).ToList();
        if (observed.Count(t => t.State != "RUNNING") < StartupTrials)
            return Startup.Suggest(space, trials, number);
        var rng = new Random(Platform.Seeds.For(seed, number, -29));
        // Lexicographic (step, score): complete trials first, then pruned ones from the latest epoch; running ones last.
        var ranked = observed.Select((t, i) => (Trial: t, Rank: Ranked(t)!.Value, Index: i))
            .OrderBy(x => x.Rank.Step).ThenBy(x => x.Rank.Score).ThenBy(x => x.Index).ToList();
        var finished = observed.Count(t => t.State != "RUNNING");
        var gamma = Math.Min((int)Math.Ceiling(0.1 * finished), 25);
        // Chronological order within each group, as Optuna keeps it (the weights favour recent trials).
        var below = ranked.Take(gamma).OrderBy(x => x.Index).Select(x => x.Trial).ToList();
        var above = ranked.Skip(gamma).OrderBy(x => x.Index).Select(x => x.Trial).ToList();

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var joint = multivariate ? space.Parameters.Where(p => p.When.Count == 0).ToList() : [];
        if (joint.Count > 0)
            foreach (var (p, v) in joint.Zip(Best(joint, below, above, rng)))
                values[p.Key] = v;
        foreach (var p in space.Parameters)
        {
            if (!p.Active(texts)) continue;
            if (!values.ContainsKey(p.Key)) values[p.Key] = Best([p], below, above, rng)[0];
            texts[p.Key] = p.Text(values[p.Key]);
        }
        return values;
    }

    /// <summary>The candidate from l(x) with the highest log l(x) − log g(x), over the trials that have all these parameters.</summary>
    private double[] Best(List<SearchParameter> group, List<StudyTrial> below, List<StudyTrial> above, Random rng)
    {
        var l = new ParzenEstimator(Rows(group, below), group, multivariate);
        var g = new ParzenEstimator(Rows(group, above), group, multivariate);
        var candidates = l.Sample(rng, Candidates);
        return candidates.MaxBy(c => l.LogPdf(c) - g.LogPdf(c))!;
    }

    private static List<double[]> Rows(List<SearchParameter> group, List<StudyTrial> trials) =>
        [.. trials.Where(t => group.All(p => t.Params.ContainsKey(p.Key))).Select(t => group.Select(p => t.Params[p.Key]).ToArray())];

    /// <summary>Optuna's ranking key (lower is better), or null for a trial that does not take part.</summary>
    private (double Step, double Score)? Ranked(StudyTrial t)
    {
        var sign = maximize ? -1 : 1;
        switch (t.State)
        {
            case "COMPLETE" when t.Value is { } v:
                return (double.NegativeInfinity, sign * v);
            case "PRUNED" when t.Intermediate.Count > 0:
                var last = t.Intermediate.MaxBy(kv => kv.Key);
                return (-last.Key, double.IsNaN(last.Value) ? double.PositiveInfinity : sign * last.Value);
            case "PRUNED":
                return (1, 0);
            case "RUNNING" when constantLiar:
                return (double.PositiveInfinity, double.PositiveInfinity);
            default:
                return null;
        }
    }
}
