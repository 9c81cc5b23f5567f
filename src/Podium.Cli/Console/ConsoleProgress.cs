using Podium.Training;
using Spectre.Console;

namespace Podium.Cli;

/// <summary>
/// Console progress with ETA. On a terminal: a live bar for the whole run and one for the epoch,
/// showing the step's loss and lr. Elsewhere (CI, pipes): one plain line per epoch.
/// </summary>
public sealed class ConsoleProgress(ProgressContext? context) : IRunLogger
{
    private ProgressTask? _overall, _epoch;
    private RunStart? _run;
    private long _stepsAtStart, _lastStep;
    private int _lastEpoch;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>Runs <paramref name="work"/> with a live progress display when the console allows one.</summary>
    public static T Run<T>(Func<ConsoleProgress, T> work)
    {
        if (!Interactive) return work(new ConsoleProgress(null));
        return Display().Start(ctx => work(new ConsoleProgress(ctx)));
    }

    /// <summary>Podium's live progress display: description, bar, percentage, elapsed, ETA; kept on screen when done.</summary>
    public static Progress Display() => AnsiConsole.Progress()
        .AutoClear(false)
        .HideCompleted(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                 new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn());

    private long TotalSteps => (long)_run!.Epochs * _run.StepsPerEpoch;

    public void Start(RunStart start)
    {
        _run = start;
        _stepsAtStart = _lastStep = (long)start.ResumedAfterEpoch * start.StepsPerEpoch;
        _clock.Restart();
        if (context is null)
        {
            Console.WriteLine($"training {start.Epochs} epochs x {start.StepsPerEpoch} steps");
            return;
        }
        _overall = context.AddTask("[bold]training[/]", maxValue: TotalSteps);
        _overall.Value = _stepsAtStart;
    }

    /// <summary>Remaining time from the mean step time so far (of this process: a resumed run's earlier steps are not timed).</summary>
    private string Eta()
    {
        long done = _lastStep - _stepsAtStart;
        if (done <= 0) return "?";
        var left = TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / done * (TotalSteps - _lastStep));
        return left.TotalHours >= 1 ? $"{(int)left.TotalHours}h{left.Minutes:D2}m" : $"{left.Minutes}m{left.Seconds:D2}s";
    }

    public void Step(StepRecord step)
    {
        _lastStep = step.Step + 1;
        if (context is null)
        {
            // Five lines an epoch: enough to see a loss running away without flooding a CI log.
            int every = Math.Max(1, _run!.StepsPerEpoch / 5);
            if ((step.Step + 1) % every == 0)
                Console.WriteLine(F($"  step {step.Step + 1}/{TotalSteps}  loss {step.Loss:F4}  lr {step.Lr:G3}  eta {Eta()}"));
            return;
        }
        if (_epoch is null || _epoch.IsFinished || _lastEpoch != step.Epoch)
            _epoch = context.AddTask($"epoch {step.Epoch}/{_run!.Epochs}", maxValue: _run!.StepsPerEpoch);
        _lastEpoch = step.Epoch;
        _epoch.Increment(1);
        _epoch.Description = F($"epoch {step.Epoch}/{_run!.Epochs}  loss {step.Loss:F4}  lr {step.Lr:G3}");
        _overall!.Increment(1);
    }

    public void Epoch(EpochRecord e, bool best)
    {
        // Metrics an epoch did not compute (NaN) are left out.
        string Column(string name, double v) => double.IsNaN(v) ? "" : F($"  {name} {v:F4}");
        var line = F($"epoch {e.Epoch}/{_run!.Epochs}  train_loss {e.TrainLoss:F4}")
            + string.Concat(_run.Metrics.Select(m => Column(Short(m.Column), e.Metrics.TryGetValue(m.Column, out var v) ? v : double.NaN)))
            + F($"  {e.Seconds:F1}s  wait {e.DataWaitSeconds:F1}s  eta {Eta()}{(best ? "  *best" : "")}");
        if (context is null) { Console.WriteLine(line); return; }
        if (_epoch is not null)
        {
            _epoch.Description = Markup.Escape(line);
            _epoch.Value = _epoch.MaxValue;
            _epoch.StopTask();
        }
    }

    /// <summary>The console's short names of the classification columns (val_acc, val_f1), as the logs have always shown them.</summary>
    private static string Short(string column) => column switch
    {
        "val_accuracy" => "val_acc",
        "val_f1_macro" => "val_f1",
        _ => column,
    };

    public void Finish(RunEnd end) => _overall?.StopTask();

}
