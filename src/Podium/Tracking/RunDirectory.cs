namespace Podium.Tracking;

/// <summary>
/// The contract every command shares: a run lives in one folder (runs/&lt;name&gt; by default) with
/// config.yaml (fully resolved), classes.txt, split.csv, metrics.csv (per step), epochs.csv
/// (per epoch), summary.json, checkpoints/, plots/ and report.html.
/// </summary>
public sealed class RunDirectory
{
    public string Root { get; }

    public RunDirectory(string root) => Root = Path.GetFullPath(root);

    public string Config => Path.Combine(Root, "config.yaml");
    public string Classes => Path.Combine(Root, "classes.txt");
    public string Split => Path.Combine(Root, "split.csv");
    public string Skipped => Path.Combine(Root, "skipped.csv");
    public string Metrics => Path.Combine(Root, "metrics.csv");
    public string Epochs => Path.Combine(Root, "epochs.csv");
    public string Summary => Path.Combine(Root, "summary.json");
    public string Evaluation => Path.Combine(Root, "evaluation.json");
    public string Report => Path.Combine(Root, "report.html");
    public string Checkpoints => Path.Combine(Root, "checkpoints");
    public string BestCheckpoint => Path.Combine(Checkpoints, "best.pt");
    public string LastCheckpoint => Path.Combine(Checkpoints, "last.pt");
    public string Plots => Path.Combine(Root, "plots");
    public string CurvesPlot => Path.Combine(Plots, "curves.png");
    public string ConfusionPlot => Path.Combine(Plots, "confusion_matrix.png");
    /// <summary>Multi-label runs: per-label precision, recall and F1 (in place of a confusion matrix).</summary>
    public string LabelScoresPlot => Path.Combine(Plots, "label_scores.png");
    public string Errors => Path.Combine(Root, "errors.csv");
    public string Thresholds => Path.Combine(Root, "thresholds.json");
    public string PredictionsDir => Path.Combine(Root, "predictions");
    public string ValPredictions => Path.Combine(PredictionsDir, "val.csv");
    public string MistakesPlot => Path.Combine(Plots, "mistakes.png");
    public string UnsureCorrectPlot => Path.Combine(Plots, "unsure_correct.png");
    /// <summary>Text-detection runs: the best checkpoint's scores per validation image, and its worst and best images drawn.</summary>
    public string ValPerImage => Path.Combine(Root, "val_per_image.csv");
    public string ValDetectionsPlot => Path.Combine(Plots, "val_detections.png");
    /// <summary>Text-recognition runs: every validation line as the best checkpoint reads it, and the worst read drawn.</summary>
    public string ValLines => Path.Combine(Root, "val_lines.csv");
    public string ValLinesPlot => Path.Combine(Plots, "val_lines.png");

    public static RunDirectory Create(string root)
    {
        var run = new RunDirectory(root);
        Directory.CreateDirectory(run.Checkpoints);
        Directory.CreateDirectory(run.Plots);
        return run;
    }

    /// <summary>The checkpoint a finished or stopped run is used from: best.pt, else last.pt; refused when there is neither.</summary>
    public string ModelCheckpoint()
    {
        var checkpoint = File.Exists(BestCheckpoint) ? BestCheckpoint : LastCheckpoint;
        if (!File.Exists(checkpoint)) throw new PodiumException($"{Checkpoints}: no checkpoint (best.pt or last.pt); did training finish " +
            $"an epoch?");
        return checkpoint;
    }

    /// <summary>Opens an existing run for evaluate/predict, or says what is missing.</summary>
    public static RunDirectory Open(string root)
    {
        var run = new RunDirectory(root);
        if (!Directory.Exists(run.Root)) throw new PodiumException($"{root}: no such run directory");
        foreach (var needed in new[] { run.Config, run.Classes })
            if (!File.Exists(needed)) throw new PodiumException($"{needed}: missing; is {root} a finished training run?");
        return run;
    }

    /// <summary>A fresh run folder name: runs/NAME, or runs/NAME-2, -3... if taken.</summary>
    public static string NextFree(string parent, string name)
    {
        var path = Path.Combine(parent, name);
        for (int i = 2; Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any(); i++) path = Path.Combine(parent,
            $"{name}-{i}");
        return path;
    }

    public string[] ReadClasses() => File.ReadAllLines(Classes).Where(l => l.Length > 0).ToArray();
}
