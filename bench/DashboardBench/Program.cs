using System.Diagnostics;
using Microsoft.Playwright;
using Podium.Dashboard;
using Podium.Tracking;
using Podium.Training;
using static Podium.Platform.Invariant;

// The dashboard's figure (issue 18): how long the comparison of RUNS runs x STEPS logged steps takes to render in Chromium,
// from navigation to the drawn curves (page, API calls, smoothing, drawing), and redrawing on log scale and smoothing. Usage:
// dotnet run -c Release --project bench/DashboardBench [RUNS] [STEPS] [STORE]   (STORE: a postgresql:// URL; default a new
// SQLite file). Needs Debian's chromium.
var runs = args.Length > 0 ? int.Parse(args[0]) : 20;
var steps = args.Length > 1 ? int.Parse(args[1]) : 5000;
var root = Path.Combine(Path.GetTempPath(), $"podium-dashbench-{Guid.NewGuid():N}"[..30]);
Directory.CreateDirectory(root);
try
{
    var location = args.Length > 2 ? args[2] : Path.Combine(root, "podium.db");
    var store = RunStore.Open(location);
    var warnings = new List<string>();
    var ids = new List<string>();
    var record = Stopwatch.StartNew();
    for (var r = 0; r < runs; r++)
    {
        var folder = Path.Combine(root, $"run{r}");
        Directory.CreateDirectory(folder);
        using var logger = new StoreLogger(store, warnings.Add);
        logger.Start(new RunStart($"run{r}", folder, 10, steps / 10, 0, ["bce", "dice"], [], "val_accuracy"));
        logger.Hyperparameters(new Dictionary<string, string> { ["train.optimizer.lr"] = F($"{1e-4 * (1 + r)}") });
        for (var s = 0; s < steps; s++)
            logger.Step(new StepRecord(s, 1 + s * 10 / steps, 1e-3, 2.0 / (1 + s * (r + 1) / 1000.0) + 0.05 * Math.Sin(s), 0.1, 50, 1, 2,
                [0.5, 0.25]));
        for (var e = 1; e <= 10; e++)
            logger.Epoch(new EpochRecord(e, 1.0 / e, new Dictionary<string, double> { ["val_accuracy"] = e / 10.0 * (r + 1) / runs },
                30, 0, 900), best: e == 10);
        logger.Finish(new RunEnd(10, 10, null, null));
        ids.Add(logger.RunId!);
    }
    if (warnings.Count > 0) throw new InvalidOperationException(warnings[0]);
    Console.WriteLine(F($"store {store.Location}: {runs} runs x {steps} steps x 8 values written in {record.Elapsed.TotalSeconds:F1} s"));

    await using var server = await DashboardServer.StartAsync(store, port: 0);
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = "/usr/lib/chromium/chromium",
        Headless = true,
        Args = ["--no-sandbox"]
    });
    var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
    var url = new Uri(server.Address, "#/compare/" + string.Join(',', ids)).ToString();
    for (var trial = 1; trial <= 3; trial++)
    {
        await page.GotoAsync("about:blank");
        await page.GotoAsync(url);
        await page.WaitForFunctionAsync("() => window.podiumRendered && document.querySelectorAll('#epoch-chart path.series').length > 0");
        // Milliseconds since navigation began: the page, its script, the comparison and 20 curves fetched, smoothed and drawn.
        var rendered = await page.EvaluateAsync<double>("() => Math.max(window.podiumRendered, performance.now())");
        var paths = await page.Locator("#step-chart path.series").CountAsync();
        var clock = Stopwatch.StartNew();
        await page.CheckAsync("#log-scale");
        await page.WaitForFunctionAsync("() => document.querySelector('#step-chart text') !== null");
        var log = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        await page.Locator("#smoothing").FillAsync(trial % 2 == 0 ? "0.3" : "0.95");
        var smoothing = clock.Elapsed.TotalMilliseconds;
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "podium-dashbench.png") });
        Console.WriteLine(F($"trial {trial}: comparison of {runs} runs x {steps} steps rendered {rendered:F0} ms after navigation " +
            $"({paths} curves); log scale redrawn in {log:F0} ms, smoothing in {smoothing:F0} ms"));
    }
    if (!RunStore.IsServer(location))
    {
        var bytes = new DirectoryInfo(root).EnumerateFiles("podium.db*").Sum(f => f.Length);
        Console.WriteLine(F($"store on disk: {bytes / 1e6:F1} MB"));
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}
