using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Podium.Tracking;
using Podium.Tuning;

namespace Podium.Tests;

/// <summary>TPE's densities and the successive-halving pruner against Debian's python3-optuna, TPE's and the grid's behaviour in
/// a study (reproducible, within the space, better than random, every grid point once).</summary>
public class SamplerTests
{
    private const string Mixed = """
        lr: {float: [1.0e-5, 0.1], log: true}
        x: {float: [-5, 5]}
        wd: {float: [0, 0.1], step: 0.02}
        n: {int: [2, 64], step: 2}
        k: {int: [1, 100], log: true}
        opt: {choice: [sgd, adam, rmsprop]}
        """;

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Distribution(SearchParameter p) => p switch
    {
        FloatParameter f => $"FloatDistribution({R(f.Low)}, {R(f.High)}, log={(f.Log ? "True" : "False")}, " +
            $"step={(f.Step is { } s ? R(s) : "None")})",
        IntParameter i => $"IntDistribution({i.Low}, {i.High}, log={(i.Log ? "True" : "False")}, step={i.Step})",
        CategoricalParameter c => $"CategoricalDistribution([{string.Join(", ", c.Choices.Select(x => $"'{x}'"))}])",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    [Fact]
    public async Task TheParzenEstimatorsDensityIsOptunas()
    {
        // Observations drawn from the space (0 to 40 of them), multivariate over all six kinds of parameter and univariate
        // over each: the log density at 6 points equals Debian's Optuna 3.1 _ParzenEstimator's (its defaults) to 1e-9.
        var space = SearchSpace.Parse(Mixed, "space.yaml");
        var random = new RandomSampler(seed: 11);
        var script = new StringBuilder("""
            import numpy as np
            from optuna.distributions import FloatDistribution, IntDistribution, CategoricalDistribution
            from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
            from optuna.samplers._tpe.sampler import default_weights
            # Tied observations (grid values) take their neighbours' gaps in argsort's order, arbitrary for numpy's default sort;
            # Podium sorts stably, so does the reference.
            argsort = np.argsort
            np.argsort = lambda a, *args, **kwargs: argsort(a, kind='stable')
            out = []

            """);
        var expected = new List<double>();
        var draw = 0;
        foreach (var n in new[] { 0, 1, 2, 7, 26, 40 })
            foreach (var group in new[] { space.Parameters.ToList() }.Concat(space.Parameters.Select(p => new List<SearchParameter> { p })))
            {
                var multivariate = group.Count > 1;
                var rows = Enumerable.Range(0, n).Select(_ => random.Suggest(space, [], draw++)!).ToList();
                var points = Enumerable.Range(0, 6).Select(_ => random.Suggest(space, [], draw++)!).ToList();
                var estimator = new ParzenEstimator([.. rows.Select(r => group.Select(p => r[p.Key]).ToArray())], group, multivariate);
                expected.AddRange(points.Select(r => estimator.LogPdf([.. group.Select(p => r[p.Key])])));
                string Columns(List<IReadOnlyDictionary<string, double>> data) => "{" + string.Join(", ", group.Select(p =>
                    $"'{p.Key}': np.array([{string.Join(", ", data.Select(r => R(r[p.Key])))}], " +
                    $"dtype={(p is CategoricalParameter ? "int" : "float")})")) + "}";
                script.AppendLine($"space = {{{string.Join(", ", group.Select(p => $"'{p.Key}': {Distribution(p)}"))}}}");
                script.AppendLine($"pe = _ParzenEstimator({Columns(rows)}, space, _ParzenEstimatorParameters(True, 1.0, True, False, " +
                    $"default_weights, {(multivariate ? "True" : "False")}))");
                script.AppendLine($"out.extend(pe.log_pdf({Columns(points)}).tolist())");
            }
        script.AppendLine("print(' '.join(repr(v) for v in out))");
        var optuna = (await TuningTests.Python(script.ToString())).Trim().Split(' ')
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(expected.Count, optuna.Count);
        var bad = Enumerable.Range(0, expected.Count)
            .Where(i => Math.Abs(expected[i] - optuna[i]) > 1e-9 * Math.Max(1, Math.Abs(optuna[i])))
            .Select(i => $"case {i}: {expected[i]:R} vs {optuna[i]:R}").ToList();
        Assert.True(bad.Count == 0, string.Join(", ", bad));
    }

    [Fact]
    public async Task SuccessiveHalvingPrunesAsOptunas()
    {
        // 40 studies: finished trials with values recorded at rungs 0-2, and a running trial with its epochs (NaNs among them)
        // and rungs passed; both directions. Each decision and the rungs the trial records equal Optuna's
        // SuccessiveHalvingPruner(min_resource=1, reduction_factor=3).
        var rng = new Random(9);
        double Value() => rng.Next(15) == 0 ? double.NaN : Math.Round(rng.NextDouble(), 2);
        var script = new StringBuilder("""
            import optuna
            from optuna.trial import TrialState, create_trial
            NaN = float('nan')
            optuna.logging.set_verbosity(optuna.logging.ERROR)
            out = []

            """);
        var podium = new List<string>();
        var pruner = new SuccessiveHalvingPruner(MinResource: 1, ReductionFactor: 3);
        for (var c = 0; c < 40; c++)
        {
            var maximize = c % 2 == 0;
            script.AppendLine($"s = optuna.create_study(direction='{(maximize ? "maximize" : "minimize")}')");
            var trials = new List<StudyTrial>();
            for (var f = 0; f < rng.Next(0, 12); f++)
            {
                var rungs = Enumerable.Range(0, rng.Next(0, 4)).ToDictionary(r => $"completed_rung_{r}",
                    _ => (JsonNode?)JsonValue.Create(Math.Round(rng.NextDouble(), 2)));
                trials.Add(new StudyTrial(f, f, "COMPLETE", 0.5, new Dictionary<string, double>(), new Dictionary<int, double>(), null,
                    null, rungs));
                script.AppendLine("s.add_trial(create_trial(state=TrialState.COMPLETE, value=0.5, system_attrs={" +
                    string.Join(", ", rungs.Select(r => $"'{r.Key}': {r.Value}")) + "}))");
            }
            var steps = rng.Next(1, 10);
            var mine = Enumerable.Range(1, steps).ToDictionary(s => s, _ => Value());
            var passed = Enumerable.Range(0, rng.Next(0, 2)).ToDictionary(r => $"completed_rung_{r}",
                r => (JsonNode?)JsonValue.Create(mine[Math.Min(steps, (int)Math.Pow(3, r))] is var v && double.IsNaN(v) ? 0.5 : v));
            var current = new StudyTrial(99, trials.Count, "RUNNING", null, new Dictionary<string, double>(), mine, null, null, passed);
            var marks = new Dictionary<string, double>();
            var pruned = pruner.Prune([.. trials, current], current, maximize, (k, v) => marks[k] = v.GetValue<double>());
            podium.Add((pruned ? "1" : "0") + string.Concat(marks.OrderBy(m => m.Key).Select(m => $";{m.Key}={R(m.Value)}")));
            static string N(double v) => double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture);
            script.AppendLine("s.add_trial(create_trial(state=TrialState.RUNNING, intermediate_values={" +
                string.Join(", ", mine.Select(m => $"{m.Key}: {N(m.Value)}")) + "}, system_attrs={" +
                string.Join(", ", passed.Select(r => $"'{r.Key}': {r.Value}")) + "}))");
            script.AppendLine($"before = dict(s.trials[-1].system_attrs)");
            script.AppendLine("p = optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3).prune(s, s.trials[-1])");
            script.AppendLine("after = {k: v for k, v in s.trials[-1].system_attrs.items() if before.get(k) != v or k not in before}");
            script.AppendLine("out.append(('1' if p else '0') + ''.join(f';{k}={v!r}' for k, v in sorted(after.items())))");
        }
        script.AppendLine("print(' '.join(out))");
        var optuna = (await TuningTests.Python(script.ToString())).Trim().Split(' ');
        Assert.Equal(optuna, podium);
        Assert.Contains(podium, p => p.StartsWith('1'));
        Assert.Contains(podium, p => p.StartsWith('0') && p.Contains("completed_rung", StringComparison.Ordinal));
    }

    /// <summary>A study run in memory: each trial's suggestion, the objective's value.</summary>
    private static List<StudyTrial> Run(ISampler sampler, SearchSpace space, int trials,
        Func<IReadOnlyDictionary<string, double>, double> f)
    {
        var history = new List<StudyTrial>();
        for (var n = 0; n < trials; n++)
        {
            var values = sampler.Suggest(space, history, n)!;
            history.Add(new StudyTrial(n, n, "COMPLETE", f(values), values, new Dictionary<int, double>(), null, null));
        }
        return history;
    }

    [Fact]
    public void TpeStaysInTheSpaceRepeatsPerSeedAndBeatsRandom()
    {
        const string yaml = """
            x: {float: [-5, 5]}
            lr: {float: [1.0e-5, 0.1], log: true}
            opt: {choice: [sgd, adam, rmsprop]}
            momentum: {float: [0.5, 0.99], when: {opt: sgd}}
            """;
        var space = SearchSpace.Parse(yaml, "space.yaml");
        // Best near x = 1, lr = 1e-3 with adam; sgd's momentum matters only when it is drawn.
        static double F(IReadOnlyDictionary<string, double> v) => Math.Pow(v["x"] - 1, 2) + Math.Pow(Math.Log10(v["lr"]) + 3, 2)
            + (v["opt"] == 1 ? 0 : 1) + (v.TryGetValue("momentum", out var m) ? Math.Abs(m - 0.9) : 0);
        var tpe = Enumerable.Range(0, 8).Select(s => Run(new TpeSampler(s, maximize: false), space, 40, F)).ToList();
        var random = Enumerable.Range(0, 8).Select(s => Run(new RandomSampler(s), space, 40, F)).ToList();
        foreach (var t in tpe.SelectMany(h => h))
        {
            Assert.All(t.Params, p => Assert.True(space.Parameters.Single(q => q.Key == p.Key).Contains(p.Value), $"{p.Key}={p.Value}"));
            Assert.Equal(t.Params["opt"] == 0, t.Params.ContainsKey("momentum"));
        }
        Assert.Equal(tpe[3].Select(t => t.Params), Run(new TpeSampler(3, maximize: false), space, 40, F).Select(t => t.Params));
        Assert.Equal(random[3].Take(10).Select(t => t.Params), tpe[3].Take(10).Select(t => t.Params)); // the random start-up
        var quasi = Run(new TpeSampler(3, maximize: false) { Startup = new QmcSampler(3) }, space, 12, F);
        Assert.Equal(Run(new QmcSampler(3), space, 10, F).Select(t => t.Params), quasi.Take(10).Select(t => t.Params));
        static double MedianBest(List<List<StudyTrial>> runs) => runs.Select(h => h.Min(t => t.Value!.Value)).Order().ElementAt(4);
        Assert.True(MedianBest(tpe) < 0.6 * MedianBest(random), $"tpe {MedianBest(tpe)} vs random {MedianBest(random)}");
        // Maximising the negated objective draws the same trials.
        Assert.Equal(tpe[2].Select(t => t.Params), Run(new TpeSampler(2, maximize: true), space, 40, v => -F(v)).Select(t => t.Params));
    }

    [Fact]
    public void QuasiRandomTrialsFillEachParametersCellsOnceAndRepeatPerSeed()
    {
        // Parameter k is the Halton sequence's dimension in base 2, 3, 5, 7: its first b² - 1 trials hold b² - 1 different
        // cells of [0, 1) cut in b² (the permutation and the shift move the points, not their spacing). Random draws do not.
        var space = SearchSpace.Parse("a: {float: [0, 1]}\nb: {float: [0, 1]}\nc: {float: [0, 1]}\nd: {float: [0, 1]}", "space.yaml");
        static int Cells(IEnumerable<double> values, int cells) => values.Select(v => (int)(v * cells)).Distinct().Count();
        foreach (var seed in new[] { 0, 1, 7 })
        {
            var trials = Enumerable.Range(0, 48).Select(n => new QmcSampler(seed).Suggest(space, [], n)!).ToList();
            foreach (var (key, b) in new[] { ("a", 2), ("b", 3), ("c", 5), ("d", 7) })
                Assert.Equal(b * b - 1, Cells(trials.Take(b * b - 1).Select(t => t[key]), b * b));
            Assert.Equal(trials[5], new QmcSampler(seed).Suggest(space, [], 5));
        }
        Assert.NotEqual(new QmcSampler(0).Suggest(space, [], 0)!["a"], new QmcSampler(1).Suggest(space, [], 0)!["a"]);
        // Random draws fill fewer cells: 48 draws over 49 cells hold about 30 of them.
        var random = Enumerable.Range(0, 48).Select(n => new RandomSampler(0).Suggest(space, [], n)!["d"]);
        Assert.InRange(Cells(random, 49), 20, 40);
        // Trial N's random draws are not a function of N the way System.Random's first draws are of nearby seeds (on a line:
        // the second difference of consecutive trials' values is 0 modulo 1 for all of them).
        var first = Enumerable.Range(0, 100).Select(n => new RandomSampler(0).Suggest(space, [], n)!["a"]).ToArray();
        static double Bend(double a, double b, double c) => Math.Abs(Math.IEEERemainder(c - 2 * b + a, 1));
        Assert.True(Enumerable.Range(0, 98).Count(n => Bend(first[n], first[n + 1], first[n + 2]) < 1e-6) < 3);
        // Choices, integers and log scales take the same points through their uniform measure: 15 trials hold each of 3 choices
        // 5 ± 1 times (random draws: 5 ± 3.7 at two standard deviations).
        var mixed = SearchSpace.Parse("opt: {choice: [sgd, adam, rmsprop]}\nn: {int: [1, 5]}\nlr: {float: [1.0e-5, 0.1], log: true}",
            "space.yaml");
        var drawn = Enumerable.Range(0, 15).Select(n => new QmcSampler(4).Suggest(mixed, [], n)!).ToList();
        Assert.All(drawn.GroupBy(t => t["opt"]), g => Assert.InRange(g.Count(), 4, 6));
        Assert.Equal(3, drawn.Select(t => t["opt"]).Distinct().Count());
        Assert.All(drawn, t => Assert.True(mixed.Parameters.All(p => p.Contains(t[p.Key])), string.Join(", ", t)));
    }

    [Fact]
    public void TheConstantLiarKeepsParallelWorkersApart()
    {
        // Ten finished trials near x = 0; a worker running x = 0.5 exactly where TPE would go next: with the liar, the next
        // suggestion counts that point as bad and lands farther from it than without.
        var space = SearchSpace.Parse("x: {float: [-10, 10]}", "space.yaml");
        var done = Enumerable.Range(0, 20).Select(n => new StudyTrial(n, n, "COMPLETE", Math.Abs(n * 0.9 - 9 + 0.5),
            new Dictionary<string, double> { ["x"] = n * 0.9 - 9 }, new Dictionary<int, double>(), null, null)).ToList();
        var distances = new List<(double Liar, double Honest)>();
        for (var seed = 0; seed < 10; seed++)
        {
            var running = Enumerable.Range(0, 4).Select(k => new StudyTrial(20 + k, 20 + k, "RUNNING", null,
                new Dictionary<string, double> { ["x"] = -0.5 + 0.01 * k }, new Dictionary<int, double>(), null, null)).ToList();
            List<StudyTrial> trials = [.. done, .. running];
            var liar = new TpeSampler(seed, maximize: false).Suggest(space, trials, 24)!["x"];
            var honest = new TpeSampler(seed, maximize: false, constantLiar: false).Suggest(space, trials, 24)!["x"];
            distances.Add((Math.Abs(liar + 0.5), Math.Abs(honest + 0.5)));
        }
        Assert.True(distances.Average(d => d.Liar) > distances.Average(d => d.Honest),
            string.Join(", ", distances.Select(d => $"{d.Liar:F2}/{d.Honest:F2}")));
    }

    [Fact]
    public void TheGridTriesEveryCombinationOnceAndRefusesContinuousKeys()
    {
        var space = SearchSpace.Parse("""
            opt: {choice: [sgd, adam]}
            momentum: {float: [0.8, 0.9], step: 0.1, when: {opt: sgd}}
            bs: {int: [16, 48], step: 16}
            """, "space.yaml");
        var grid = new GridSampler(space, seed: 1);
        Assert.Equal(9, grid.Count); // sgd: 2 momenta x 3 sizes, adam: 3 sizes
        var trials = new List<StudyTrial>();
        for (var n = 0; n < 9; n++)
        {
            var values = grid.Suggest(space, trials, n)!;
            // A failed trial frees its combination: the next trial takes it again.
            var state = n == 4 ? "FAIL" : "COMPLETE";
            trials.Add(new StudyTrial(n, n, state, 1, values, new Dictionary<int, double>(), null, null));
            if (n == 4) Assert.Equal(values, grid.Suggest(space, trials, 5));
        }
        var last = grid.Suggest(space, trials, 9)!; // the one combination no finished trial holds
        Assert.DoesNotContain(trials.Where(t => t.State == "COMPLETE"), t => t.Params.Count == last.Count
            && t.Params.All(p => last[p.Key] == p.Value));
        trials.Add(new StudyTrial(9, 9, "COMPLETE", 1, last, new Dictionary<int, double>(), null, null));
        Assert.Null(grid.Suggest(space, trials, 10));
        var done = trials.Where(t => t.State == "COMPLETE")
            .Select(t => string.Join(",", t.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        Assert.Equal(9, done.Distinct().Count());
        var e = Assert.Throws<PodiumException>(() => new GridSampler(SearchSpace.Parse("lr: {float: [0.1, 1]}", "s.yaml"), 0));
        Assert.Contains("grid: lr is continuous", e.Message);
    }
}
