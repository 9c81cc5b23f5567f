using System.Diagnostics;
using Podium.Reporting;
using Podium.Training;
using static Podium.Platform.Invariant;

namespace Podium.Notebooks;

/// <summary>
/// A training run's live progress as HTML for a notebook cell: a bar with the step, loss, learning rate and time left, and a
/// table of the finished epochs. <paramref name="show"/> gets the whole fragment each time (a .NET Interactive displayed
/// value's Update); steps refresh it at most every <paramref name="interval"/>, epochs and the end always.
/// </summary>
public sealed class NotebookProgress(Action<string> show, TimeSpan? interval = null) : IRunLogger
{
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromSeconds(0.5);
    private readonly Stopwatch _clock = new();
    private readonly Stopwatch _sinceShown = new();
    private readonly List<EpochRecord> _epochs = [];
    private RunStart? _start;
    private StepRecord? _last;
    private long _stepsDone;
    private string _state = "running";

    /// <summary>The last fragment shown.</summary>
    public string Html { get; private set; } = "";

    public void Start(RunStart start)
    {
        _start = start;
        _clock.Restart();
        Show();
    }

    public void Step(StepRecord step)
    {
        _last = step;
        _stepsDone++;
        if (_sinceShown.IsRunning && _sinceShown.Elapsed < _interval) return;
        Show();
    }

    public void Epoch(EpochRecord epoch, bool best)
    {
        _epochs.Add(epoch);
        Show();
    }

    public void Finish(RunEnd end)
    {
        _state = F($"finished: best epoch {end.BestEpoch} of {end.Epochs}") + (end.Reason is null ? "" : $" ({end.Reason})");
        Show();
    }

    public void Fail(string error)
    {
        _state = "failed: " + error;
        Show();
    }

    private void Show()
    {
        Html = Render();
        show(Html);
        _sinceShown.Restart();
    }

    private string Render()
    {
        if (_start is null) return "<p>waiting for the run to start</p>";
        var s = _start;
        long total = (long)(s.Epochs - s.ResumedAfterEpoch) * s.StepsPerEpoch;
        double done = total == 0 ? 0 : Math.Min(1, (double)_stepsDone / total);
        string eta = _stepsDone == 0 || done >= 1 ? "" : ", " + Duration(_clock.Elapsed.TotalSeconds * (1 - done) / done) + " left";
        var line = _last is { } l
            ? F($"epoch {l.Epoch}/{s.Epochs}, step {l.Step}, loss {l.Loss:F4}, lr {l.Lr:G3}, ") + Duration(_clock.Elapsed.TotalSeconds)
                + eta
            : "starting";
        var page = HtmlPage.Fragment()
            .Raw($"<p><b>{HtmlPage.E(s.Name)}</b>: {HtmlPage.E(_state)}</p>")
            .Raw(F($"<progress max=\"1\" value=\"{done:F4}\" style=\"width:60%\"></progress> {done:P0}"))
            .Raw($"<p>{HtmlPage.E(line)}</p>");
        if (_epochs.Count > 0)
        {
            var columns = _epochs[^1].Metrics.Keys.Order(StringComparer.Ordinal).ToList();
            var rows = new List<IReadOnlyList<string>> { (string[])["epoch", "train_loss", .. columns, "seconds"] };
            rows.AddRange(_epochs.Select(e => (IReadOnlyList<string>)[F($"{e.Epoch}"), F($"{e.TrainLoss:F4}"),
                .. columns.Select(c => e.Metrics.TryGetValue(c, out var v) ? F($"{v:F4}") : ""), F($"{e.Seconds:F1}")]));
            page.Table(rows);
        }
        return page.Body;
    }

    private static string Duration(double seconds) =>
        seconds >= 3600 ? F($"{seconds / 3600:F1} h") : seconds >= 60 ? F($"{seconds / 60:F1} min") : F($"{seconds:F0} s");
}
