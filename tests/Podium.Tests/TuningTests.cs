using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Podium.Tracking;
using Podium.Tuning;

namespace Podium.Tests;

/// <summary>Search spaces, the random sampler, and studies kept in Optuna's schema: Debian's python3-optuna opens a Podium
/// study (trials, states, values, parameters, intermediate values) and adds to it a trial that Podium reads back.</summary>
public class TuningTests
{
    private const string Space = """
        train.optimizer.lr: {float: [1.0e-4, 1.0e-1], log: true}
        train.optimizer.weight_decay: {float: [0.0, 0.1], step: 0.02}
        train.batch_size: {int: [16, 64], step: 16}
        train.optimizer.momentum: {float: [0.8, 0.99], when: {train.optimizer.name: sgd}}
        train.optimizer.name: {choice: [sgd, adamw]}
        augment.train: {choice: [[horizontal_flip], [horizontal_flip, {color_jitter: {brightness: 0.3}}]]}
        """;

    [Fact]
    public void ASpaceReadsEveryKindOrderedByItsConditions()
    {
        var space = SearchSpace.Parse(Space, "space.yaml");
        var keys = space.Parameters.Select(p => p.Key).ToList();
        Assert.Equal(6, keys.Count);
        Assert.True(keys.IndexOf("train.optimizer.name") < keys.IndexOf("train.optimizer.momentum"));
        var blocks = Assert.IsType<CategoricalParameter>(space.Parameters.Single(p => p.Key == "augment.train"));
        Assert.Equal(["[horizontal_flip]", "[horizontal_flip, {color_jitter: {brightness: 0.3}}]"], blocks.Choices);
        var lr = Assert.IsType<FloatParameter>(space.Parameters.Single(p => p.Key == "train.optimizer.lr"));
        Assert.Equal("""{"name":"FloatDistribution","attributes":{"step":null,"low":0.0001,"high":0.1,"log":true}}""",
            lr.Distribution().ToJsonString());
        var batch = Assert.IsType<IntParameter>(space.Parameters.Single(p => p.Key == "train.batch_size"));
        Assert.True(batch.Contains(48) && !batch.Contains(40) && !batch.Contains(80));
        Assert.Equal(SearchSpace.Parse(Space, "again.yaml").Fingerprint(), space.Fingerprint());
        Assert.NotEqual(SearchSpace.Parse(Space.Replace("64]", "128]"), "other.yaml").Fingerprint(), space.Fingerprint());
    }

    [Theory]
    [InlineData("", "the search space is empty")]
    [InlineData("a.b: {float: [1, 1]}", "a.b: LOW 1 must be below HIGH 1")]
    [InlineData("a.b: {float: [0, 1], log: true}", "a.b: log: LOW 0 must be above 0")]
    [InlineData("a.b: {float: [0, 1], steps: 0.1}", "a.b: unknown field 'steps'")]
    [InlineData("a.b: {int: [1, 8], step: 0.5}", "a.b: step 0.5: a whole number")]
    [InlineData("a.b: {float: [0, 1], int: [0, 1]}", "a.b: give one of float, int, not both")]
    [InlineData("a.b: {choice: [x]}", "a.b: choice: one value is nothing to search")]
    [InlineData("a.b: {float: [0, x]}", "a.b: float: 'x' is not a number")]
    [InlineData("a.b: {float: [0, 1], when: {c.d: sgd}}", "a.b: when names c.d, which is not a searched choice")]
    [InlineData("a.b: {float: [0, 1], when: {c.d: sgd}}\nc.d: {choice: [adam, lion]}", "a.b: when c.d is sgd, which is not one")]
    [InlineData("a.b: {choice: [x, y], when: {c.d: u}}\nc.d: {choice: [u, v], when: {a.b: x}}", "form a cycle")]
    public void ABadSpaceIsOneLineNamingTheKey(string yaml, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => SearchSpace.Parse(yaml, "space.yaml"));
        Assert.StartsWith("space.yaml: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void RandomDrawsStayInTheSpaceFollowConditionsAndRepeatPerTrialNumber()
    {
        var space = SearchSpace.Parse(Space, "space.yaml");
        var sampler = new RandomSampler(seed: 7);
        var draws = Enumerable.Range(0, 2000).Select(n => sampler.Suggest(space, [], n)!).ToList();
        foreach (var d in draws)
        {
            Assert.All(d, v => Assert.True(space.Parameters.Single(p => p.Key == v.Key).Contains(v.Value), $"{v.Key} = {v.Value}"));
            // momentum exists exactly when the optimizer drawn is sgd (choice 0).
            Assert.Equal(d["train.optimizer.name"] == 0, d.ContainsKey("train.optimizer.momentum"));
        }
        // Log-uniform: the median lr is the geometric mean of the bounds, 10^-2.5; a quarter fall under 10^-3.25.
        var lrs = draws.Select(d => Math.Log10(d["train.optimizer.lr"])).Order().ToList();
        Assert.InRange(lrs[1000], -2.6, -2.4);
        Assert.InRange(lrs.Count(l => l < -3.25) / 2000.0, 0.22, 0.28);
        Assert.Equal(4, draws.Select(d => d["train.batch_size"]).Distinct().Count());
        Assert.Equal(6, draws.Select(d => d["train.optimizer.weight_decay"]).Distinct().Count());
        Assert.Equal(draws[123], sampler.Suggest(space, [], 123)); // any worker draws trial 123 alike
        Assert.NotEqual(draws[123], new RandomSampler(seed: 8).Suggest(space, [], 123));
    }

    [Fact]
    public async Task TheMedianRulePrunesAsOptunasMedianPruner()
    {
        // Finished trials' curves and 40 partial ones (NaNs among them), both directions, some studies under the start-up
        // count: every decision of Podium's pruner equals Optuna's MedianPruner(n_startup_trials=5, n_warmup_steps=2).
        var rng = new Random(5);
        double Value() => rng.Next(12) == 0 ? double.NaN : Math.Round(rng.NextDouble(), 3);
        var cases = new List<(bool Maximize, List<Dictionary<int, double>> Finished, Dictionary<int, double> Mine, int Step)>();
        for (var c = 0; c < 40; c++)
        {
            var finished = Enumerable.Range(0, rng.Next(3, 9)).Select(_ => Enumerable.Range(1, rng.Next(1, 5))
                .ToDictionary(s => s, _ => Value())).ToList();
            var step = rng.Next(1, 5);
            cases.Add((c % 2 == 0, finished, Enumerable.Range(1, step).ToDictionary(s => s, _ => Value()), step));
        }
        static string Number(double v) => double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture);
        static string Curve(Dictionary<int, double> d) => "{" + string.Join(", ", d.Select(p => $"{p.Key}: {Number(p.Value)}")) + "}";
        var script = new System.Text.StringBuilder("""
            import optuna
            from optuna.trial import TrialState, create_trial
            NaN = float('nan')
            optuna.logging.set_verbosity(optuna.logging.ERROR)
            out = []

            """);
        foreach (var c in cases)
        {
            script.AppendLine($"s = optuna.create_study(direction='{(c.Maximize ? "maximize" : "minimize")}')");
            foreach (var f in c.Finished)
                script.AppendLine($"s.add_trial(create_trial(state=TrialState.COMPLETE, value=0.5, intermediate_values={Curve(f)}))");
            script.AppendLine($"t = create_trial(state=TrialState.RUNNING, intermediate_values={Curve(c.Mine)})");
            script.AppendLine("out.append(optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=2).prune(s, t))");
        }
        script.AppendLine("print(' '.join('1' if p else '0' for p in out))");
        var optuna = (await Python(script.ToString())).Trim().Split(' ');
        var pruner = new MedianPruner();
        var podium = cases.Select(c => pruner.Prune(c.Mine, c.Step, c.Finished, c.Maximize) ? "1" : "0").ToArray();
        Assert.Equal(optuna, podium);
        Assert.Contains("1", podium); // the cases prune some trials and keep others
        Assert.Contains("0", podium);
    }

    /// <summary>Runs a script with Debian's Python and returns what it printed.</summary>
    internal static async Task<string> Python(string script)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true
        };
        using var python = Process.Start(psi)!;
        await python.StandardInput.WriteAsync(script);
        python.StandardInput.Close();
        var output = python.StandardOutput.ReadToEndAsync();
        var error = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, error);
        return await output;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task OptunaOpensAPodiumStudyAndPodiumReadsOptunasTrials(string kind)
    {
        var root = TestEnv.TempDir("study");
        var (location, optunaUrl) = kind == "sqlite"
            ? (Path.Combine(root, "store.db"), "sqlite:///" + Path.Combine(root, "store.db"))
            : (PostgresServer.Instance.NewDatabase("study") is var url ? (url, url.Replace("postgresql://", "postgresql+psycopg2://"))
                : default);
        var space = SearchSpace.Parse(Space, "space.yaml");
        var studies = StudyStore.Open(RunStore.Open(location));
        var study = studies.CreateOrLoad("podium-sweep", maximize: true, space.Fingerprint());
        var sampler = new RandomSampler(seed: 3);
        var states = new[] { "COMPLETE", "COMPLETE", "PRUNED", "FAIL", "COMPLETE" };
        for (var i = 0; i < states.Length; i++)
        {
            var trial = studies.Start(study, budget: 5, space.Draw(sampler))!;
            Assert.Equal(i, trial.Number);
            studies.SetAttribute(trial.Id, "podium:run_id", $"run{i}");
            for (var epoch = 1; epoch <= (states[i] == "PRUNED" ? 1 : 3); epoch++) studies.Report(trial.Id, epoch, 0.1 * i + 0.01 * epoch);
            studies.Finish(trial.Id, states[i], states[i] == "FAIL" ? null : 0.1 * i + 0.03);
        }
        Assert.Null(studies.Start(study, budget: 4)); // four trials that did not fail: the budget is spent
        var e = Assert.Throws<PodiumException>(() => studies.CreateOrLoad("podium-sweep", true, "another space"));
        Assert.Contains("study podium-sweep exists with another search space", e.Message);

        // Optuna reads the study, then runs one trial of its own in it with the same distributions.
        var script = $$"""
            import json, optuna
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            study = optuna.load_study(study_name="podium-sweep", storage="{{optunaUrl}}")
            def objective(t):
                t.suggest_float("train.optimizer.lr", 1e-4, 1e-1, log=True)
                t.suggest_categorical("train.optimizer.name", ["sgd", "adamw"])
                t.report(0.5, 1)
                return 0.77
            study.optimize(objective, n_trials=1)
            print(json.dumps({"direction": study.direction.name, "best": study.best_value, "best_number": study.best_trial.number,
                "trials": [{"number": t.number, "state": t.state.name, "value": t.value, "params": t.params,
                    "steps": {str(k): v for k, v in t.intermediate_values.items()}, "attrs": t.system_attrs} for t in study.trials]}))
            """;
        var read = JsonDocument.Parse(await Python(script)).RootElement;
        Assert.Equal("MAXIMIZE", read.GetProperty("direction").GetString());
        Assert.Equal(0.77, read.GetProperty("best").GetDouble()); // Optuna's own trial beats Podium's best, 0.43
        var trials = read.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(6, trials.Count);
        Assert.Equal([.. states, "COMPLETE"], trials.Select(t => t.GetProperty("state").GetString()));
        var mine = studies.Trials(study);
        for (var i = 0; i < states.Length; i++)
        {
            var t = trials[i];
            Assert.Equal(i, t.GetProperty("number").GetInt32());
            Assert.Equal($"run{i}", t.GetProperty("attrs").GetProperty("podium:run_id").GetString());
            if (states[i] != "FAIL") Assert.Equal(0.1 * i + 0.03, t.GetProperty("value").GetDouble(), 12);
            Assert.Equal(states[i] == "PRUNED" ? 1 : 3, t.GetProperty("steps").EnumerateObject().Count());
            Assert.Equal(0.1 * i + 0.01, t.GetProperty("steps").GetProperty("1").GetDouble(), 12);
            // Optuna's parameter values are Podium's: numbers as drawn, choices by their value.
            foreach (var p in space.Parameters.Where(p => mine[i].Params.ContainsKey(p.Key)))
            {
                var optuna = t.GetProperty("params").GetProperty(p.Key);
                var expected = p.Text(mine[i].Params[p.Key]);
                Assert.Equal(expected, optuna.ValueKind == JsonValueKind.Number
                    ? (p is IntParameter ? optuna.GetInt64().ToString(CultureInfo.InvariantCulture) : optuna.GetDouble().ToString("R",
                        CultureInfo.InvariantCulture)) : optuna.GetString());
            }
        }
        // Podium reads Optuna's trial: number 5, its value and report, its parameters in stored form.
        var theirs = Assert.Single(studies.Trials(study), t => t.Number == 5);
        Assert.Equal(("COMPLETE", 0.77), (theirs.State, theirs.Value!.Value));
        Assert.Equal(0.5, theirs.Intermediate[1]);
        Assert.InRange(theirs.Params["train.optimizer.lr"], 1e-4, 1e-1);
        Assert.Contains(theirs.Params["train.optimizer.name"], new[] { 0.0, 1.0 });
    }
}
