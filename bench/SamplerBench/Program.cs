// Sampler quality against Optuna: Podium's TPE (multivariate and univariate) and random sampler on the problems of
// bench/samplers/optuna_bench.py, the same seeds and trial counts; with that script's CSV (bench/samplers/run.sh makes it),
// one table of the median best value after 30 trials and after all, Optuna's samplers beside Podium's.
// dotnet run -c Release --project bench/SamplerBench -- [SEEDS] [TRIALS] [OPTUNA.csv]
using System.Diagnostics;
using System.Globalization;
using Podium.Tracking;
using Podium.Tuning;

var seeds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var trials = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var rows = new List<(string Problem, string Sampler, int Seed, double Best30, double Best, double Seconds)>();
foreach (var (problem, yaml, objective) in Problems.All)
{
    var space = SearchSpace.Parse(yaml, problem);
    // VARIANTS=podium-tpe-q,... picks the samplers; -q: TPE with quasi-random start-up trials instead of random ones.
    var variants = Environment.GetEnvironmentVariable("VARIANTS")?.Split(',')
        ?? ["podium-tpe", "podium-tpe-mv", "podium-random", "podium-qmc"];
    foreach (var sampler in variants)
        for (var seed = 0; seed < seeds; seed++)
        {
            ISampler s = sampler switch
            {
                "podium-tpe" => new TpeSampler(seed, maximize: false, multivariate: false),
                "podium-tpe-mv" => new TpeSampler(seed, maximize: false),
                "podium-tpe-q" => new TpeSampler(seed, maximize: false, multivariate: false) { Startup = new QmcSampler(seed) },
                "podium-tpe-mv-q" => new TpeSampler(seed, maximize: false) { Startup = new QmcSampler(seed) },
                "podium-qmc" => new QmcSampler(seed),
                _ => new RandomSampler(seed),
            };
            var history = new List<StudyTrial>();
            var clock = Stopwatch.StartNew();
            for (var n = 0; n < trials; n++)
            {
                var values = s.Suggest(space, history, n)!;
                var value = objective(space.Parameters.ToDictionary(p => p.Key, p => values[p.Key]));
                history.Add(new StudyTrial(n, n, "COMPLETE", value, values, new Dictionary<int, double>(), null, null));
            }
            rows.Add((problem, sampler, seed, history.Take(30).Min(t => t.Value!.Value), history.Min(t => t.Value!.Value),
                clock.Elapsed.TotalSeconds));
        }
}
// Podium's runs in the Optuna script's form, beside its CSV (or in the working folder).
var own = Path.Combine(args.Length > 2 ? Path.GetDirectoryName(Path.GetFullPath(args[2]))! : ".", "podium-samplers.csv");
File.WriteAllLines(own, ["problem,sampler,seed,best30,best,seconds", .. rows.Select(r => string.Create(CultureInfo.InvariantCulture,
    $"{r.Problem},{r.Sampler},{r.Seed},{r.Best30:R},{r.Best:R},{r.Seconds:F4}"))]);
if (args.Length > 2)
    foreach (var line in File.ReadLines(args[2]).Skip(1))
    {
        var f = line.Split(',');
        rows.Add((f[0], f[1], int.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture),
            double.Parse(f[4], CultureInfo.InvariantCulture), double.Parse(f[5], CultureInfo.InvariantCulture)));
    }

static double Median(IEnumerable<double> values)
{
    var v = values.Order().ToArray();
    return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
}

Console.WriteLine($"{seeds} seeds x {trials} trials, minimising; median best value after 30 and after {trials} trials " +
    "(lower is better), mean seconds per run");
Console.WriteLine($"{"problem",-16} {"sampler",-15} {"@30",10} {"@" + trials,10} {"s/run",8}");
foreach (var g in rows.GroupBy(r => (r.Problem, r.Sampler)).OrderBy(g => g.Key.Problem, StringComparer.Ordinal)
    .ThenBy(g => g.Key.Sampler.Replace("optuna", "z", StringComparison.Ordinal), StringComparer.Ordinal))
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{g.Key.Problem,-16} {g.Key.Sampler,-15} {Median(g.Select(r => r.Best30)),10:F4} {Median(g.Select(r => r.Best)),10:F4} " +
        $"{g.Average(r => r.Seconds),8:F3}"));

// Podium against Optuna in the same mode: how often a Podium seed's best beats an Optuna seed's (ties count half; 0.5 when
// both samplers are as good) and the two-sided Mann-Whitney p-value (normal approximation), at 30 trials and at all.
Console.WriteLine();
Console.WriteLine($"{"problem",-16} {"mode",-8} {"P(better)@30",13} {"p@30",7} {"P(better)@" + trials,14} {"p@" + trials,7}");
foreach (var g in rows.Where(r => r.Sampler.StartsWith("podium-", StringComparison.Ordinal))
    .GroupBy(r => (r.Problem, Mode: r.Sampler["podium-".Length..])).OrderBy(g => g.Key.Problem, StringComparer.Ordinal))
{
    var optuna = rows.Where(r => r.Problem == g.Key.Problem && r.Sampler == "optuna-" + g.Key.Mode).ToList();
    if (optuna.Count == 0) continue;
    var (a30, p30) = MannWhitney([.. g.Select(r => r.Best30)], [.. optuna.Select(r => r.Best30)]);
    var (a, p) = MannWhitney([.. g.Select(r => r.Best)], [.. optuna.Select(r => r.Best)]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{g.Key.Problem,-16} {g.Key.Mode,-8} {a30,13:F3} {p30,7:F3} {a,14:F3} {p,7:F3}"));
}

// P(x < y) + P(x = y) / 2 over pairs, and the two-sided p-value of the rank-sum test (ties given their mean rank).
static (double Better, double P) MannWhitney(double[] x, double[] y)
{
    var all = x.Select(v => (V: v, X: true)).Concat(y.Select(v => (V: v, X: false))).OrderBy(t => t.V).ToArray();
    var ranks = new double[all.Length];
    for (int i = 0, j; i < all.Length; i = j)
    {
        for (j = i; j < all.Length && all[j].V == all[i].V; j++) { }
        for (var k = i; k < j; k++) ranks[k] = (i + j + 1) / 2.0;
    }
    double n1 = x.Length, n2 = y.Length;
    var u = ranks.Where((_, k) => all[k].X).Sum() - n1 * (n1 + 1) / 2; // pairs where x is the larger
    var z = (u - n1 * n2 / 2) / Math.Sqrt(n1 * n2 * (n1 + n2 + 1) / 12);
    return (1 - u / (n1 * n2), MathNet.Numerics.SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2)));
}

/// <summary>The benchmark problems, as bench/samplers/optuna_bench.py defines them (values in stored form: choice indexes).</summary>
internal static class Problems
{
    private static readonly double[][] H3A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]];
    private static readonly double[][] H3P =
        [[0.3689, 0.1170, 0.2673], [0.4699, 0.4387, 0.7470], [0.1091, 0.8732, 0.5547], [0.0381, 0.5743, 0.8828]];
    private static readonly double[][] H6A =
        [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
    private static readonly double[][] H6P =
    [
        [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
    ];
    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];
    private static readonly double[] Offsets = [0.8, 0.0, 1.5, 0.4, 2.0];
    private static readonly double[] Shifts = [2.0, -1.0, 0.5];

    public static readonly (string Name, string Yaml, Func<Dictionary<string, double>, double> Objective)[] All =
    [
        ("branin", "x1: {float: [-5, 10]}\nx2: {float: [0, 15]}", Branin),
        ("hartmann3", Unit(3), x => Hartmann(x, H3A, H3P)),
        ("hartmann6", Unit(6), x => Hartmann(x, H6A, H6P)),
        ("rosenbrock5-log", string.Join("\n", Enumerable.Range(0, 5).Select(j => $"u{j}: {{float: [0.01, 10], log: true}}")),
            Rosenbrock),
        ("mixed", "a: {choice: [a0, a1, a2, a3, a4]}\nb: {choice: [sgd, adam, rmsprop]}\nx: {float: [-5, 5]}\n" +
            "lr: {float: [1.0e-5, 0.1], log: true}\nn: {int: [1, 32]}", Mixed),
    ];

    private static string Unit(int d) => string.Join("\n", Enumerable.Range(0, d).Select(j => $"x{j}: {{float: [0, 1]}}"));

    private static double Branin(Dictionary<string, double> x)
    {
        double x1 = x["x1"], x2 = x["x2"], b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        return Math.Pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.Cos(x1) + 10;
    }

    private static double Hartmann(Dictionary<string, double> x, double[][] a, double[][] p) =>
        -Enumerable.Range(0, 4).Sum(i => Alpha[i] * Math.Exp(-Enumerable.Range(0, a[i].Length)
            .Sum(j => a[i][j] * Math.Pow(x[$"x{j}"] - p[i][j], 2))));

    private static double Rosenbrock(Dictionary<string, double> x)
    {
        var f = Enumerable.Range(0, 4).Sum(i => 100 * Math.Pow(x[$"u{i + 1}"] - x[$"u{i}"] * x[$"u{i}"], 2) + Math.Pow(1 - x[$"u{i}"], 2));
        return Math.Log10(1 + f);
    }

    private static double Mixed(Dictionary<string, double> x)
    {
        var b = (int)x["b"];
        return Offsets[(int)x["a"]] + Math.Pow(x["x"] - Shifts[b], 2) / 10 + Math.Pow(Math.Log10(x["lr"]) + 3 + 0.5 * b, 2) / 4
            + Math.Pow((x["n"] - 12) / 8, 2);
    }
}
