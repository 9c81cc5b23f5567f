using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCvSharp;
using Podium.Evaluation;
using Podium.Notebooks;
using Podium.Training;

namespace Podium.Tests;

/// <summary>The notebooks, run headless as CI runs them (scripts/notebooks.sh: the library packed, each notebook executed by
/// dotnet-repl, failing on any cell error), and the HTML that Podium's formatters give them.</summary>
public class NotebookTests
{
    [Fact]
    public void EveryNotebookRunsHeadlessWithItsOutputsInline()
    {
        var r = TestEnv.Run("bash", TestEnv.RepoRoot, new Dictionary<string, string>(), TimeSpan.FromMinutes(9), "scripts/notebooks.sh");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var notebooks = Directory.GetFiles(Path.Combine(TestEnv.RepoRoot, "notebooks"), "*.dib").Select(Path.GetFileNameWithoutExtension)
            .ToList();
        Assert.Equal(4, notebooks.Count);
        foreach (var name in notebooks) Assert.Contains($"notebook {name}: ran in", r.Stdout);

        string Outputs(string name)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestEnv.RepoRoot, "artifacts", "notebooks", name + ".ipynb")));
            return string.Join("\n", doc.RootElement.GetProperty("cells").EnumerateArray()
                .SelectMany(c => c.TryGetProperty("outputs", out var o) ? o.EnumerateArray() : Enumerable.Empty<JsonElement>())
                .Select(o => o.GetRawText()));
        }
        // What each shows through Podium's formatters: the EDA summary and its plots; the live progress and the evaluation with
        // its confusion matrix; the mistakes gallery; the drawn receipts.
        var eda = Outputs("01-eda");
        Assert.Contains("classes (imbalance max/min)", eda);
        Assert.True(Regex.Matches(eda, "data:image/png;base64").Count >= 3);
        var train = Outputs("02-train");
        Assert.Contains("<progress", train);
        Assert.Contains("finished: best epoch", train);
        Assert.Contains("confusion matrix (row: true class", train);
        Assert.Contains("data:image/png;base64", Outputs("03-errors"));
        Assert.Matches(@"\d+ regions, network \d+ ms", Outputs("04-ocr"));
        Assert.True(Regex.Matches(Outputs("04-ocr"), "data:image/png;base64").Count >= 2);
    }

    [Fact]
    public void MetricsShowTheScoresAndTheConfusionMatrixCells()
    {
        var m = new ClassificationMetrics([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 2], ["ant", "bee", "wasp"]);
        var html = NotebookHtml.Metrics(m);
        Assert.Contains("accuracy 0.6667", html);
        Assert.Contains("<td>bee</td><td>0.667</td><td>0.667</td><td>0.667</td><td>3</td>", html);
        // Row bee: 0 as ant, 2 as bee (blue, 2/3 of the row), 1 as wasp (red, 1/3).
        Assert.Contains("<th>bee</th><td style=\"background:rgba(210,50,40,0.00)\">0</td>" +
            "<td style=\"background:rgba(40,110,200,0.67)\">2</td><td style=\"background:rgba(210,50,40,0.33)\">1</td>", html);
        Assert.Contains("&lt;", NotebookHtml.Metrics(new ClassificationMetrics([0], [0], ["<script>"]))); // names are escaped
    }

    [Fact]
    public void AnImageIsAnInlinePngOfTheSamePixels()
    {
        using var bgr = new Mat(20, 30, MatType.CV_8UC3, new Scalar(10, 120, 250));
        var html = NotebookHtml.Image(bgr);
        var data = Regex.Match(html, "base64,([^\"]+)\"").Groups[1].Value;
        using var back = Cv2.ImDecode(Convert.FromBase64String(data), ImreadModes.Color);
        Assert.Equal((20, 30), (back.Rows, back.Cols));
        Assert.Equal(new Vec3b(10, 120, 250), back.At<Vec3b>(7, 11));
        using var large = new Mat(100, 2000, MatType.CV_8UC1, Scalar.All(7));
        var shrunk = Regex.Match(NotebookHtml.Image(large, maxSide: 500), "base64,([^\"]+)\"").Groups[1].Value;
        using var small = Cv2.ImDecode(Convert.FromBase64String(shrunk), ImreadModes.Unchanged);
        Assert.Equal((25, 500), (small.Rows, small.Cols));
    }

    [Fact]
    public void ProgressShowsStepsAtMostPerIntervalAndEveryEpoch()
    {
        var shown = new List<string>();
        var p = new NotebookProgress(shown.Add, TimeSpan.FromHours(1));
        IRunLogger logger = p;
        logger.Start(new RunStart("demo", "runs/demo", Epochs: 2, StepsPerEpoch: 10, ResumedAfterEpoch: 0, [], [], "val_accuracy"));
        for (int s = 1; s <= 10; s++) logger.Step(new StepRecord(s, 1, 0.01, 2.0 / s, 0, 10));
        Assert.Single(shown); // the start: every step fell within the interval
        logger.Epoch(new EpochRecord(1, 0.75, new Dictionary<string, double> { ["val_accuracy"] = 0.625 }, 3.5, 0.1, 100), best: true);
        Assert.Equal(2, shown.Count);
        Assert.Contains("value=\"0.5000\"", p.Html); // 10 of 20 steps
        Assert.Contains("<td>1</td><td>0.7500</td><td>0.6250</td><td>3.5</td>", p.Html);
        logger.Finish(new RunEnd(2, 1, null, "patience"));
        Assert.Contains("finished: best epoch 1 of 2 (patience)", shown[^1]);
    }
}
