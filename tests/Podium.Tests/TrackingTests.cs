using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Podium.Config;
using Podium.Tracking;
using Podium.Training;

namespace Podium.Tests;

/// <summary>The run store: runs recorded live by the CLI and read back equal to their folders' CSV files; list, show, compare, tag,
/// delete and import; concurrent writers; a store that cannot be used is one line and tracking can be turned off.</summary>
public class TrackingTests
{
    private const string Config = """
        seed: 3
        deterministic: true
        data: {train: data/train, val_split: 0.25, img_size: 32}
        model: {name: mobilenet_v3_small}
        train: {epochs: 2, batch_size: 8, optimizer: {lr: 0.003}}
        """;

    private static JsonElement Json(TestEnv.CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        return JsonDocument.Parse(r.Stdout).RootElement;
    }

    private static double[] Column(string csv, string column)
    {
        var lines = File.ReadAllLines(csv);
        var i = Array.IndexOf(lines[0].Split(','), column);
        return [.. lines.Skip(1).Select(l => double.Parse(l.Split(',')[i], CultureInfo.InvariantCulture))];
    }

    // The CSV files keep 6 significant digits.
    private static double G6(double v) => double.Parse(v.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    [Fact]
    public void TrainedRunsAreRecordedAndListedShownComparedTaggedAndDeleted()
    {
        var root = TestEnv.ShapesProject("tracking", trainPerClass: 8, seed: 21, configYaml: Config);
        foreach (var (lr, run) in new[] { ("0.003", "a"), ("0.001", "b") })
        {
            var r = TestEnv.Podium(root, "train", "cfg.yaml", "--out", run, "--set", $"train.optimizer.lr={lr}");
            Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        }
        Assert.True(File.Exists(Path.Combine(root, "runs", "podium.db")));

        var list = Json(TestEnv.Podium(root, "runs", "list", "--format", "json")).EnumerateArray().ToList();
        Assert.Equal(2, list.Count);
        Assert.All(list, r => Assert.Equal("finished", r.GetProperty("status").GetString()));
        Assert.All(list, r => Assert.Equal("classification", r.GetProperty("task").GetString()));
        var ids = list.Select(r => r.GetProperty("id").GetString()!).ToList();
        var idOf = (string run) => JsonDocument.Parse(File.ReadAllText(Path.Combine(root, run, "tracking.json"))).RootElement
            .GetProperty("run_id").GetString()!;
        Assert.Equal(ids.Order(), new[] { idOf("a"), idOf("b") }.Order());

        // The record equals the folder's own: every step's loss and lr, every epoch, the best epoch, the final evaluation.
        var show = Json(TestEnv.Podium(root, "runs", "show", idOf("a")[..6], "--format", "json"));
        var a = Path.Combine(root, "a");
        Assert.Equal(File.ReadAllLines(Path.Combine(a, "metrics.csv")).Length - 1, show.GetProperty("steps").GetInt64());
        var epochs = show.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(Column(Path.Combine(a, "epochs.csv"), "val_accuracy"),
            epochs.Select(e => G6(e.GetProperty("val_accuracy").GetDouble())).ToArray());
        Assert.Equal("0.003", show.GetProperty("hyperparameters").GetProperty("train.optimizer.lr").GetString());
        var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(a, "evaluation.json"))).RootElement;
        Assert.Equal(evaluation.GetProperty("accuracy").GetDouble(),
            show.GetProperty("results").GetProperty("evaluation").GetProperty("accuracy").GetDouble(), 9);
        Assert.Equal("cpu", show.GetProperty("environment").GetProperty("device").GetString());
        Assert.Contains("report.html", show.GetProperty("artifacts").EnumerateObject().Select(p => p.Name));
        using (var store = new SqliteConnection($"Data Source={Path.Combine(root, "runs", "podium.db")}"))
        {
            store.Open();
            using var q = store.CreateCommand();
            q.CommandText = "SELECT value FROM steps WHERE run_id = $id AND key = 'loss' ORDER BY step";
            q.Parameters.AddWithValue("$id", idOf("a"));
            var losses = new List<double>();
            using (var r = q.ExecuteReader()) while (r.Read()) losses.Add(r.GetDouble(0));
            Assert.Equal(Column(Path.Combine(a, "metrics.csv"), "loss"), losses.Select(G6));
        }

        AssertTensorBoardHasTheRun(a);

        // Compare: the figures of both, and of the hyperparameters only the one that differs.
        var compare = TestEnv.Podium(root, "runs", "compare", idOf("a"), idOf("b"));
        Assert.True(compare.ExitCode == 0, compare.Stderr + compare.Stdout);
        Assert.Matches(@"train\.optimizer\.lr\s+0\.003\s+0\.001", compare.Stdout);
        Assert.Contains("best.val_accuracy", compare.Stdout);
        Assert.DoesNotContain("data.img_size", compare.Stdout);
        Assert.Contains("1 hyperparameter(s) differ", compare.Stdout);

        // Curves of both runs overlaid: per step (loss, smoothed, log scale) and per epoch.
        foreach (var (figure, scale) in new[] { ("loss", new[] { "--log" }), ("val_accuracy", ["--smooth", "0"]) })
        {
            var plot = TestEnv.Podium(root, ["runs", "plot", idOf("a"), idOf("b"), "--figure", figure, .. scale, "--out", figure + ".png"]);
            Assert.True(plot.ExitCode == 0, plot.Stderr + plot.Stdout);
            Assert.Contains($"2 run(s), {figure} by {(figure == "loss" ? "step" : "epoch")}", plot.Stdout);
            using var png = OpenCvSharp.Cv2.ImRead(Path.Combine(root, figure + ".png"));
            Assert.Equal((560, 1000), (png.Rows, png.Cols));
        }
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "runs", "plot", idOf("a"), "--figure", "val_bleu"),
            "--figure val_bleu: none of these runs logged it");

        // A deterministic run trained again from its record gives the same figures.
        var reproduce = TestEnv.Podium(root, "runs", "reproduce", idOf("b"), "--out", "b2");
        Assert.True(reproduce.ExitCode == 0, reproduce.Stderr + reproduce.Stdout);
        Assert.Contains("figures match: 2 epochs", reproduce.Stdout);
        Assert.True(TestEnv.Podium(root, "runs", "delete", idOf("b2")).ExitCode == 0);
        Directory.Delete(Path.Combine(root, "b2"), recursive: true);

        // Filters, sorting, tags, CSV, deletion.
        Assert.True(TestEnv.Podium(root, "runs", "tag", idOf("b"), "baseline", "slow").ExitCode == 0);
        Assert.True(TestEnv.Podium(root, "runs", "tag", idOf("b"), "--remove", "slow").ExitCode == 0);
        var tagged = Json(TestEnv.Podium(root, "runs", "list", "--tag", "baseline", "--format", "json")).EnumerateArray().ToList();
        Assert.Equal(idOf("b"), Assert.Single(tagged).GetProperty("id").GetString());
        Assert.Equal("baseline", tagged[0].GetProperty("tags").GetString());
        var sorted = TestEnv.Podium(root, "runs", "list", "--sort", "val_loss", "--ascending", "--format", "csv").Stdout.Split('\n',
            StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, sorted.Length);
        var losses2 = new[] { "a", "b" }.ToDictionary(idOf, r => JsonDocument.Parse(File.ReadAllText(Path.Combine(root, r,
            "summary.json"))).RootElement.GetProperty("best").GetProperty("val_loss").GetDouble());
        Assert.Equal(losses2.OrderBy(p => p.Value).First().Key, sorted[1].Split(',')[0]);
        // Sorting by a figure no run has drops none of them.
        Assert.Equal(3, TestEnv.Podium(root, "runs", "list", "--sort", "val_hmean", "--format", "csv").Stdout.Split('\n',
            StringSplitOptions.RemoveEmptyEntries).Length);
        var slow = Json(TestEnv.Podium(root, "runs", "list", "--param", "train.optimizer.lr=0.001", "--param", "data.img_size=32",
            "--format", "json"));
        Assert.Equal(idOf("b"), Assert.Single(slow.EnumerateArray()).GetProperty("id").GetString());
        var none = Json(TestEnv.Podium(root, "runs", "list", "--where", "val_accuracy>1.5", "--format", "json"));
        Assert.Equal(0, none.GetArrayLength());
        Assert.True(TestEnv.Podium(root, "runs", "delete", idOf("a")).ExitCode == 0);
        Assert.Equal(idOf("b"), Assert.Single(Json(TestEnv.Podium(root, "runs", "list", "--format", "json")).EnumerateArray())
            .GetProperty("id").GetString());
        Assert.True(Directory.Exists(a), "deleting a record leaves the run's folder");

        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "runs", "show", "zzz"), "no run with id zzz");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "runs", "list", "--where", "val_accuracy~1"), "--where val_accuracy~1");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "runs", "list", "--status", "lost"), "--status lost");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "runs", "list", "--param", "lr"), "--param lr: expected KEY=VALUE");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "runs", "list", "--store", "nowhere.db"), "no run store here");

        // Folders trained before the store (here: a's, deleted from it) come back by import, and only once.
        var import = TestEnv.Podium(root, "runs", "import", ".");
        Assert.True(import.ExitCode == 0, import.Stderr + import.Stdout);
        Assert.Contains("1 run(s) imported", import.Stdout);
        Assert.Contains("is already run " + idOf("b"), import.Stdout);
        var imported = Json(TestEnv.Podium(root, "runs", "show", idOf("a"), "--format", "json"));
        Assert.Equal(show.GetProperty("steps").GetInt64(), imported.GetProperty("steps").GetInt64());
        double Best(JsonElement run, string key) => G6(run.GetProperty("results").GetProperty("best").GetProperty(key).GetDouble());
        Assert.Equal(Best(show, "val_accuracy"), Best(imported, "val_accuracy"));
        Assert.Equal(Best(show, "val_loss"), Best(imported, "val_loss"));
        Assert.Equal("finished", imported.GetProperty("run").GetProperty("status").GetString());
    }

    /// <summary>The run folder's event files, read back by the tests' own reader: every step's loss and lr, every epoch's
    /// figures, the config as text, the pictures, the final figures and the hparams plugin's session start and end.</summary>
    private static void AssertTensorBoardHasTheRun(string run)
    {
        var (values, versions, _) = TfEventReader.Read(run);
        Assert.Contains("brain.Event:2", versions);
        float[] Scalars(string tag) => [.. values.Where(v => v.Tag == tag).Select(v => TfEventReader.Float(v.Fields[2][0]))];
        Assert.Equal(Column(Path.Combine(run, "metrics.csv"), "loss"), Scalars("train/loss").Select(v => G6(v)));
        Assert.Equal(Column(Path.Combine(run, "metrics.csv"), "lr"), Scalars("train/lr").Select(v => G6(v)));
        Assert.Equal(Column(Path.Combine(run, "epochs.csv"), "val_accuracy"), Scalars("epoch/val_accuracy").Select(v => G6(v)));
        var steps = values.Where(v => v.Tag == "train/loss").Select(v => v.Step).ToList();
        Assert.Equal(Column(Path.Combine(run, "metrics.csv"), "step").Select(s => (long)s), steps);
        Assert.All(values, v => Assert.InRange(v.WallTime, 1.7e9, 4e9)); // float seconds since 1970
        var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json"))).RootElement;
        Assert.Equal((float)evaluation.GetProperty("accuracy").GetDouble(), Assert.Single(Scalars("results/evaluation/accuracy")));

        // Text: a string tensor (DT_STRING 7, string_val 8) under the text plugin.
        var config = Assert.Single(values, v => v.Tag == "config");
        Assert.Equal("text", TfEventReader.Text(TfEventReader.Sub(TfEventReader.Sub(config.Fields, 9), 1)[1][0]));
        var tensor = TfEventReader.Sub(config.Fields, 8);
        Assert.Equal(7UL, tensor[1][0]);
        Assert.Contains("optimizer:", TfEventReader.Text(tensor[8][0]));

        // Pictures: PNGs with their sizes, the curves each epoch and the confusion matrix at the end.
        var confusion = Assert.Single(values, v => v.Tag == "plots/confusion_matrix");
        var image = TfEventReader.Sub(confusion.Fields, 4);
        using (var png = OpenCvSharp.Cv2.ImDecode((byte[])image[4][0], OpenCvSharp.ImreadModes.Unchanged))
            Assert.Equal(((ulong)png.Rows, (ulong)png.Cols), ((ulong)image[1][0], (ulong)image[2][0]));
        Assert.Equal(2, values.Count(v => v.Tag == "curves"));

        // HParams: plugin "hparams", HParamsPluginData with session_start_info (3: hparams map 1 of key 1 → Value 2) and
        // session_end_info (4: status 1 = success).
        Dictionary<int, List<object>> Plugin(string tag)
        {
            var plugin = TfEventReader.Sub(TfEventReader.Sub(Assert.Single(values, v => v.Tag == tag).Fields, 9), 1);
            Assert.Equal("hparams", TfEventReader.Text(plugin[1][0]));
            return TfEventReader.Message((byte[])plugin[2][0]);
        }
        var start = TfEventReader.Sub(Plugin("_hparams_/session_start_info"), 3);
        var hparams = start[1].Select(e => TfEventReader.Message((byte[])e)).ToDictionary(e => TfEventReader.Text(e[1][0]),
            e => TfEventReader.Message((byte[])e[2][0]));
        Assert.Equal(0.003, TfEventReader.Double(hparams["train.optimizer.lr"][2][0]), 12); // number_value
        Assert.Equal("mobilenet_v3_small", TfEventReader.Text(hparams["model.name"][3][0])); // string_value
        Assert.Equal(1UL, TfEventReader.Sub(Plugin("_hparams_/session_end_info"), 4)[1][0]);
    }

    [Fact]
    public void AStoreThatCannotBeUsedIsOneLineAndTrackingCanBeTurnedOff()
    {
        var root = TestEnv.ShapesProject("tracking-bad", trainPerClass: 4, seed: 22, configYaml: Config.Replace("epochs: 2", "epochs: 1"));
        File.WriteAllText(Path.Combine(root, "not.db"), "this is not a database, just text long enough to have a header page........");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "cfg.yaml", "--set", "tracking.store=not.db"),
            "not.db: not a usable run store");
        Assert.False(Directory.Exists(Path.Combine(root, "runs", "cfg")), "nothing is trained when the store cannot record it");
        // A store written by a newer Podium is refused, not misread.
        var newer = Path.Combine(root, "newer.db");
        RunStore.Open(newer);
        using (var c = new SqliteConnection($"Data Source={newer};Pooling=false"))
        {
            c.Open();
            using var q = c.CreateCommand();
            q.CommandText = "UPDATE store_info SET value = '99' WHERE key = 'schema'";
            q.ExecuteNonQuery();
        }
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "runs", "list", "--store", "newer.db"), "the store's schema 99 is newer");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, new Dictionary<string, string> { ["PODIUM_TRACKING_STORE"] = "newer.db" },
            "train", "cfg.yaml"), "schema 99 is newer");
        // A PostgreSQL store: one that cannot be reached (its password never shown), a malformed URL, a newer schema.
        const string Unreachable = "postgresql://podium:secret@127.0.0.1:1/runs";
        var refused = TestEnv.Podium(root, "train", "cfg.yaml", "--set", $"tracking.store={Unreachable}");
        EndToEndTests.AssertOneLine(refused, "postgresql://podium@127.0.0.1:1/runs: not a usable run store");
        Assert.DoesNotContain("secret", refused.Stderr + refused.Stdout);
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "runs", "list", "--store", "postgresql://podium@db:none/runs"),
            "postgresql://podium@db:none/runs: port none is not a port number");
        var server = PostgresServer.Instance.NewDatabase("newer");
        using (var c = RunStore.Open(server).Connect())
            RunStore.Execute(c, "UPDATE store_info SET value = '99' WHERE key = 'schema'");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "runs", "list", "--store", server), "the store's schema 99 is newer");
        var off = TestEnv.Podium(root, new Dictionary<string, string> { ["PODIUM_TRACKING_STORE"] = Unreachable }, "train", "cfg.yaml",
            "--set", "tracking.enabled=false");
        Assert.True(off.ExitCode == 0, off.Stderr + off.Stdout);
        Assert.False(File.Exists(Path.Combine(root, "runs", "podium.db")));
    }

    /// <summary>A new, empty store of a kind: a SQLite file in <paramref name="root"/>, or a database of the tests' own PostgreSQL
    /// cluster.</summary>
    private static string NewStore(string kind, string root, string name) =>
        kind == "sqlite" ? Path.Combine(root, name + ".db") : PostgresServer.Instance.NewDatabase(name);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public void ConcurrentWritersLoseNoRowAndADeadProcessIsMarkedKilled(string kind)
    {
        var root = TestEnv.TempDir("tracking-concurrent");
        var path = NewStore(kind, root, "concurrent");
        var store = RunStore.Open(path);
        const int Writers = 8, Steps = 5000;
        var warnings = new System.Collections.Concurrent.ConcurrentBag<string>();
        // Eight runs logging at once, each through its own logger, connection and writer thread, as eight processes would.
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, w =>
        {
            var folder = Path.Combine(root, $"run{w}");
            Directory.CreateDirectory(folder);
            using var logger = new StoreLogger(store, warnings.Add);
            logger.Start(new RunStart($"run{w}", folder, 1, Steps, 0, ["part"], [], "val_loss"));
            logger.Hyperparameters(new Dictionary<string, string> { ["writer"] = w.ToString(CultureInfo.InvariantCulture) });
            for (var s = 0; s < Steps; s++) logger.Step(new StepRecord(s, 1, 0.1, w + s * 1e-4, 0, 1, Parts: [0.5]));
            logger.Epoch(new EpochRecord(1, 0.5, new Dictionary<string, double> { ["val_loss"] = w }, 1, 0, 100), best: true);
            logger.Finish(new RunEnd(1, 1, null, null));
        });
        Assert.Empty(warnings);
        var runs = store.List(new RunFilter());
        Assert.Equal(Writers, runs.Count);
        Assert.All(runs, r => Assert.Equal("finished", r.Status));
        foreach (var r in runs)
        {
            var losses = store.Steps(r.Id, "loss");
            Assert.Equal(Steps, losses.Count);
            Assert.Equal(Steps, store.Steps(r.Id, "loss_part").Count);
            Assert.Equal(Enumerable.Range(0, Steps).Select(s => (long)s), losses.Select(l => l.Step));
            Assert.Equal(r.Best["val_loss"], double.Parse(store.Details(r.Id).Params["writer"], CultureInfo.InvariantCulture));
        }

        // A run whose process is gone (no finish recorded) is killed when the store is next opened; what it logged stays.
        var dead = new StoreLogger(store, warnings.Add);
        var deadFolder = Path.Combine(root, "dead");
        Directory.CreateDirectory(deadFolder);
        dead.Start(new RunStart("dead", deadFolder, 3, 10, 0, [], [], "val_loss"));
        dead.Step(new StepRecord(0, 1, 0.1, 1, 0, 1));
        dead.Dispose(); // flushed, never finished
        using (var c = store.Connect())
            RunStore.Execute(c, "UPDATE runs SET pid = 2147483600 WHERE name = 'dead'"); // as if written by a process that has exited
        var reopened = RunStore.Open(path);
        var killed = Assert.Single(reopened.List(new RunFilter { Status = "killed" }));
        Assert.Equal("dead", killed.Name);
        Assert.Single(reopened.Steps(killed.Id, "loss"));
        Assert.Equal(Writers, reopened.List(new RunFilter { Status = "finished" }).Count);

        // A run resumed after its record was deleted starts a new record instead of writing rows that belong to no run.
        var gone = runs[0];
        reopened.Delete(gone.Id);
        using (var again = new StoreLogger(reopened, warnings.Add))
        {
            again.Start(new RunStart(gone.Name, gone.Folder, 2, Steps, 1, ["part"], [], "val_loss"));
            Assert.NotEqual(gone.Id, again.RunId);
            again.Finish(new RunEnd(2, 2, null, null));
        }
        Assert.Equal(Writers, reopened.List(new RunFilter { Status = "finished" }).Count);
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public void EightProcessesWritingOneStoreAtOnceLoseNoRowAndAKilledOneLeavesItConsistent(string kind)
    {
        // Eight run folders of 20,000 logged steps each, imported by eight podium processes started together: the store's locks
        // between processes (not only between one process's connections) must make every writer wait its turn, never fail, and
        // a writer killed mid-transaction must leave the store consistent.
        var root = TestEnv.TempDir("tracking-processes");
        var location = NewStore(kind, root, "shared");
        const int Processes = 8, Steps = 20_000;
        for (var p = 0; p < Processes; p++)
        {
            var folder = Path.Combine(root, $"run{p}");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "config.yaml"), $"name: run{p}\ntrain: {{epochs: 1}}\n");
            File.WriteAllText(Path.Combine(folder, "epochs.csv"), "epoch,train_loss,val_loss\n1,0.5,0.25\n");
            File.WriteAllLines(Path.Combine(folder, "metrics.csv"), ["step,epoch,lr,loss", .. Enumerable.Range(0, Steps)
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s},1,0.001,{p + s * 1e-5}"))]);
        }
        // A ninth writer, SIGKILLed once its run is recorded and while its 300,000 steps are being written.
        var doomed = Path.Combine(root, "doomed");
        Directory.CreateDirectory(doomed);
        File.WriteAllText(Path.Combine(doomed, "config.yaml"), "name: doomed\ntrain: {epochs: 1}\n");
        File.WriteAllText(Path.Combine(doomed, "epochs.csv"), "epoch,train_loss,val_loss\n1,0.5,0.25\n");
        File.WriteAllLines(Path.Combine(doomed, "metrics.csv"), ["step,epoch,lr,loss", .. Enumerable.Range(0, 300_000)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s},1,0.001,{s * 1e-6}"))]);
        using (var killed = TestEnv.StartPodium(root, "runs", "import", "doomed", "--store", location))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (RunStore.Open(location).List(new RunFilter { Name = "doomed" }).Count == 0)
            {
                Assert.False(killed.HasExited, "the import ended before its run was recorded");
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the import never recorded its run");
                Thread.Sleep(5);
            }
            var processes = Enumerable.Range(0, Processes)
                .Select(p => TestEnv.StartPodium(root, "runs", "import", $"run{p}", "--store", location)).ToList();
            Assert.False(killed.HasExited, "the import ended before it could be killed");
            killed.Kill(entireProcessTree: true);
            killed.WaitForExit();
            foreach (var p in processes)
            {
                Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "an import did not end");
                Assert.Equal(0, p.ExitCode);
                p.Dispose();
            }
        }
        var store = RunStore.Open(location);
        // The killed writer's run: marked killed, and none of its half-written batch (a batch is one transaction).
        var all = store.List(new RunFilter());
        var dead = Assert.Single(all, r => r.Name == "doomed");
        Assert.Equal(("killed", "its process died (no finish recorded)"), (dead.Status, dead.Reason));
        Assert.Empty(store.Steps(dead.Id, "loss"));
        var runs = all.Where(r => r.Name != "doomed").ToList();
        Assert.Equal(Processes, runs.Count);
        foreach (var r in runs)
        {
            var p = int.Parse(r.Name["run".Length..], CultureInfo.InvariantCulture);
            var losses = store.Steps(r.Id, "loss");
            Assert.Equal(Steps, losses.Count);
            Assert.Equal(Steps, store.Steps(r.Id, "lr").Count);
            Assert.Equal(p + (Steps - 1) * 1e-5, losses[^1].Value, 9);
        }
    }

    [Fact]
    public void AConfigFlattensToDottedKeys()
    {
        var flat = FlatConfig.Of(ConfigLoader.Parse("""
            data: {train: x, img_size: 64}
            train: {optimizer: {name: sgd, lr: 0.1}}
            augment: {train: [{horizontal_flip: {p: 0.5}}, {resize: {size: 64}}]}
            """, "f.yaml"));
        Assert.Equal("sgd", flat["train.optimizer.name"]);
        Assert.Equal("0.1", flat["train.optimizer.lr"]);
        Assert.Equal("64", flat["data.img_size"]);
        Assert.Equal("0.5", flat["augment.train[0].horizontal_flip.p"]);
        Assert.Equal("64", flat["augment.train[1].resize.size"]);
        Assert.DoesNotContain("name", flat.Keys); // unset
    }
}
