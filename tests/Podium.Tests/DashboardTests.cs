using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenCvSharp;
using Podium.Tracking;
using Podium.Training;

namespace Podium.Tests;

/// <summary>
/// podium ui in a real browser: Debian's Chromium, headless, driven by Playwright. Through the runs table (sorting, filtering,
/// a chosen column), the hyperparameter scatter, a comparison (overlaid curves, log scale, the config diff), a finished run's
/// page (config, epochs, a picture) and a live run's page that follows its training. Screenshots land in
/// /tmp/podium-dashboard for a person to look at.
/// </summary>
public class DashboardTests
{
    private const string Chromium = "/usr/lib/chromium/chromium";
    private static readonly double[] Lrs = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2];

    /// <summary>A store of six finished runs of an lr sweep (300 steps, 3 epochs, a confusion matrix PNG each), one failed run,
    /// and the logger of a run that is still training.</summary>
    private static (string Store, StoreLogger Live, string LiveFolder) DemoStore(string root)
    {
        var location = Path.Combine(root, "store.db");
        var store = RunStore.Open(location);
        var warnings = new List<string>();
        for (var i = 0; i <= Lrs.Length; i++)
        {
            var (name, failed) = i < Lrs.Length ? ($"sweep-{i}", false) : ("broken", true);
            var folder = Path.Combine(root, name);
            Directory.CreateDirectory(folder);
            var lr = i < Lrs.Length ? Lrs[i] : 0.1;
            File.WriteAllText(Path.Combine(folder, "config.yaml"), string.Create(CultureInfo.InvariantCulture,
                $"name: {name}\nmodel: {{name: resnet18}}\ntrain:\n  epochs: 3\n  optimizer: {{name: adamw, lr: {lr}}}\n"));
            using var logger = new StoreLogger(store, warnings.Add);
            logger.Start(new RunStart(name, folder, 3, 100, 0, ["ce"], [], "val_accuracy"));
            logger.Hyperparameters(new Dictionary<string, string>
            {
                ["model.name"] = "resnet18",
                ["train.optimizer.lr"] = lr.ToString(CultureInfo.InvariantCulture),
                ["train.epochs"] = "3",
            });
            // The best learning rate is 1e-3: accuracy falls off on either side of it (in log lr).
            var quality = 1 - Math.Abs(Math.Log10(lr) + 3) / 3;
            for (var s = 0; s < (failed ? 40 : 300); s++)
            {
                var loss = 2.3 * Math.Exp(-s / 100.0 * (0.5 + quality)) + 0.05 * Math.Sin(s);
                logger.Step(new StepRecord(s, s / 100 + 1, lr, loss, 1, 20, Parts: [loss]));
            }
            if (failed)
            {
                logger.Fail("out of memory");
                continue;
            }
            for (var e = 1; e <= 3; e++)
                logger.Epoch(new EpochRecord(e, 1.0 / e, new Dictionary<string, double>
                {
                    ["val_accuracy"] = 0.5 + 0.4 * quality * e / 3,
                    ["val_loss"] = 1.5 - quality * e / 3,
                }, 10, 0.1, 500), best: e == 3);
            logger.Finish(new RunEnd(3, 3, null, null));
            using (var png = new Mat(120, 160, MatType.CV_8UC3, new Scalar(40 * i, 120, 200)))
                Cv2.ImWrite(Path.Combine(folder, "confusion_matrix.png"), png);
            logger.Results("evaluation", new Dictionary<string, double> { ["accuracy"] = 0.5 + 0.4 * quality });
            store.Tag(logger.RunId!, [i % 2 == 0 ? "baseline" : "sweep"], []);
        }
        // A study of twelve trials over the learning rate and the optimizer (best near 1e-3 with adamw), one pruned and one failed.
        var space = Tuning.SearchSpace.Parse("train.optimizer.lr: {float: [1.0e-4, 0.1], log: true}\n" +
            "train.optimizer.name: {choice: [sgd, adamw]}", "space.yaml");
        var studies = StudyStore.Open(store);
        var study = studies.CreateOrLoad("lr-sweep", maximize: true, space.Fingerprint());
        for (var n = 0; n < 12; n++)
        {
            var trial = studies.Start(study, draw: space.Draw(new Tuning.RandomSampler(seed: 4)))!;
            var quality = 0.9 - 0.1 * Math.Abs(Math.Log10(trial.Params["train.optimizer.lr"]) + 3)
                - 0.2 * (1 - trial.Params["train.optimizer.name"]);
            studies.Report(trial.Id, 1, quality - 0.1);
            studies.Finish(trial.Id, n == 5 ? "PRUNED" : n == 8 ? "FAIL" : "COMPLETE", n == 8 ? null : n == 5 ? quality - 0.1 : quality);
        }
        var liveFolder = Path.Combine(root, "live");
        Directory.CreateDirectory(liveFolder);
        File.WriteAllText(Path.Combine(liveFolder, "config.yaml"), "name: live\ntrain: {epochs: 50, optimizer: {name: sgd, lr: 0.01}}\n");
        var live = new StoreLogger(store, warnings.Add);
        live.Start(new RunStart("live", liveFolder, 50, 100, 0, [], [], "val_accuracy"));
        live.Hyperparameters(new Dictionary<string, string> { ["train.optimizer.lr"] = "0.01", ["model.name"] = "convnext" });
        Assert.Empty(warnings);
        return (location, live, liveFolder);
    }

    [Fact]
    public async Task TheDashboardListsComparesAndFollowsRunsInChromium()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: scripts/setup.sh installs Debian's chromium package");
        var root = TestEnv.TempDir("dashboard");
        var shots = Path.Combine(Path.GetTempPath(), "podium-dashboard");
        Directory.CreateDirectory(shots);
        var (location, live, _) = DemoStore(root);
        var address = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var ui = TestEnv.StartPodium(root, line =>
        {
            output.Enqueue(line);
            if (line.IndexOf("http://", StringComparison.Ordinal) is var at and >= 0) address.TrySetResult(line[at..].Split(' ')[0]);
        }, "ui", "--store", location, "--port", "0");
        using var training = new CancellationTokenSource();
        var step = 0L;
        var trainer = Task.Run(async () =>
        {
            // The live run trains while the browser watches: a step every 20 ms.
            while (!training.IsCancellationRequested)
            {
                live.Step(new StepRecord(step, (int)(step / 100) + 1, 0.01, 2.0 / (1 + step / 50.0), 1, 20));
                Interlocked.Increment(ref step);
                await Task.Delay(20);
            }
        });
        try
        {
            var url = await address.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox"]
            });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
            var errors = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") errors.Add($"{m.Text} ({m.Location})"); };
            page.PageError += (_, e) => errors.Add(e);
            await page.GotoAsync(url);

            // The table: every run, the lr sweep's figures as columns.
            var rows = page.Locator("#runs-table tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(8);
            await Assertions.Expect(page.Locator("th[data-column='best:val_accuracy']")).ToBeVisibleAsync();
            // Sorting: highest val_accuracy first (lr 1e-3), then lowest first; runs without it stay last.
            await page.Locator("th[data-column='best:val_accuracy']").ClickAsync();
            await Assertions.Expect(rows.First.Locator("td").Nth(1)).ToHaveTextAsync("sweep-2");
            await page.Locator("th[data-column='best:val_accuracy']").ClickAsync();
            await Assertions.Expect(rows.First.Locator("td").Nth(1)).ToHaveTextAsync(new Regex("sweep-[05]"));
            await Assertions.Expect(rows.Last.Locator("td").Nth(1)).ToHaveTextAsync(new Regex("broken|live"));
            // Filtering by name and by status.
            await page.FillAsync("#filter", "sweep-4");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await page.FillAsync("#filter", "");
            await page.SelectOptionAsync("#status-filter", "failed");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows.First).ToContainTextAsync("broken");
            await page.SelectOptionAsync("#status-filter", "");
            // A chosen column: the learning rate.
            await page.ClickAsync("#columns-button");
            await page.CheckAsync("#columns-menu input[value='param:train.optimizer.lr']");
            await Assertions.Expect(page.Locator("th[data-column='param:train.optimizer.lr']")).ToBeVisibleAsync();
            var cells = page.Locator("#runs-table tbody tr[data-id] td");
            await Assertions.Expect(cells.Filter(new() { HasText = "0.0003" })).ToHaveCountAsync(1);
            await page.ClickAsync("#columns-button");
            // Hyperparameters against the figure: one point per run that has both.
            await Assertions.Expect(page.Locator("#scatter-y")).ToHaveValueAsync("best:val_accuracy"); // the runs' monitor
            await page.SelectOptionAsync("#scatter-x", "param:train.optimizer.lr");
            await page.SelectOptionAsync("#scatter-y", "best:val_accuracy");
            await Assertions.Expect(page.Locator("#scatter-svg circle.point")).ToHaveCountAsync(6);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "runs.png"), FullPage = true });

            // A comparison of three runs, one of them live.
            foreach (var name in new[] { "sweep-1", "sweep-2", "live" })
                await page.Locator("#runs-table tbody tr", new() { HasText = name }).Locator("input[type=checkbox]").CheckAsync();
            await page.ClickAsync("#compare-button");
            await Assertions.Expect(page.Locator("#step-chart path.series")).ToHaveCountAsync(3);
            await Assertions.Expect(page.Locator("#epoch-chart path.series")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#comparison tr.param", new() { HasText = "train.optimizer.lr" })).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#comparison tr.param", new() { HasText = "train.epochs" })).ToHaveCountAsync(1);
            var before = await page.Locator("#step-chart path.series[data-run]").Last.GetAttributeAsync("d");
            await page.CheckAsync("#log-scale");
            await Assertions.Expect(page.Locator("#step-chart text", new() { HasText = "loss (log)" })).ToHaveCountAsync(1);
            await page.Locator("#smoothing").FillAsync("0.9");
            await Assertions.Expect(page.Locator("#step-chart path.series")).ToHaveCountAsync(3);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "compare.png"), FullPage = true });

            // A finished run's page: its config, epochs and its confusion matrix, loaded.
            await page.GotoAsync(url + "#/run/" + RunStore.Open(location).List(new RunFilter { Name = "sweep-2" })[0].Id);
            await Assertions.Expect(page.Locator("#run-config")).ToContainTextAsync("optimizer: {name: adamw, lr: 0.001}");
            await Assertions.Expect(page.Locator("#epochs-table tbody tr")).ToHaveCountAsync(3);
            var image = page.Locator("#run-gallery img");
            await Assertions.Expect(image).ToHaveCountAsync(1);
            await Assertions.Expect(image).ToHaveJSPropertyAsync("naturalWidth", 160);
            await Assertions.Expect(page.Locator("#run-chart path.series")).ToHaveCountAsync(1);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "run.png"), FullPage = true });

            // The live run's page follows it: its logged step count grows without a reload.
            await page.GotoAsync(url + "#/run/" + RunStore.Open(location).List(new RunFilter { Name = "live" })[0].Id);
            var steps = page.Locator("#run-meta span:text-is('steps logged') + span");
            var first = long.Parse(await steps.TextContentAsync() ?? "", CultureInfo.InvariantCulture);
            await Assertions.Expect(steps).Not.ToHaveTextAsync(first.ToString(CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
            Assert.True(long.Parse(await steps.TextContentAsync() ?? "", CultureInfo.InvariantCulture) > first);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "live.png"), FullPage = true });

            // The study: listed, then its page with the best trial, importance, parallel coordinates, slices and trials.
            await page.GotoAsync(url + "#/studies");
            await Assertions.Expect(page.Locator("#studies-table tr", new() { HasText = "lr-sweep" })).ToContainTextAsync("maximise");
            await page.ClickAsync("#studies-table a");
            await Assertions.Expect(page.Locator("#best-trial")).ToContainTextAsync("train.optimizer.lr");
            await Assertions.Expect(page.Locator("#importance .bar")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#parallel-svg path.series")).ToHaveCountAsync(10);
            await Assertions.Expect(page.Locator("#history-svg circle.point")).ToHaveCountAsync(10);
            await Assertions.Expect(page.Locator("#slices svg.chart")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#trials-table tr")).ToHaveCountAsync(13);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "study.png"), FullPage = true });
            Assert.NotNull(before);
            Assert.Empty(errors);
        }
        finally
        {
            await training.CancelAsync();
            await trainer;
            live.Finish(new RunEnd(1, 1, null, null));
            live.Dispose();
            ui.Kill(entireProcessTree: true);
            ui.WaitForExit();
        }
        Assert.DoesNotContain(output, l => l.Contains("   at ", StringComparison.Ordinal));
    }
}
