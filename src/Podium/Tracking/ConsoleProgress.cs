using System.Globalization;
using Podium.Training;
using Spectre.Console;

namespace Podium.Tracking;

/// <summary>
/// Console progress with ETA. On a terminal: a live bar for the whole run and one for the epoch,
/// showing the step's loss and lr. Elsewhere (CI, pipes): one plain line per epoch.
/// </summary>
public sealed class ConsoleProgress(ProgressContext? context) : ITrainerCallback
{
    private ProgressTask? _overall, _epoch;

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

    public void OnFitStart(TrainerState state)
    {
        if (context is null)
        {
            Console.WriteLine($"training {state.Epochs} epochs x {state.StepsPerEpoch} steps");
            return;
        }
        _overall = context.AddTask("[bold]training[/]", maxValue: state.TotalSteps);
    }

    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Remaining time from the mean step time so far.</summary>
    private string Eta(TrainerState state)
    {
        if (state.Step == 0) return "?";
        var left = TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / state.Step * (state.TotalSteps - state.Step));
        return left.TotalHours >= 1 ? $"{(int)left.TotalHours}h{left.Minutes:D2}m" : $"{left.Minutes}m{left.Seconds:D2}s";
    }

    public void OnStep(TrainerState state, StepRecord step)
    {
        if (context is null)
        {
            // Five lines an epoch: enough to see a loss running away without flooding a CI log.
            int every = Math.Max(1, state.StepsPerEpoch / 5);
            if ((step.Step + 1) % every == 0)
                Console.WriteLine(F($"  step {step.Step + 1}/{state.TotalSteps}  loss {step.Loss:F4}  lr {step.Lr:G3}  eta {Eta(state)}"));
            return;
        }
        if (_epoch is null || _epoch.IsFinished)
            _epoch = context.AddTask($"epoch {step.Epoch}/{state.Epochs}", maxValue: state.StepsPerEpoch);
        _epoch.Increment(1);
        _epoch.Description = F($"epoch {step.Epoch}/{state.Epochs}  loss {step.Loss:F4}  lr {step.Lr:G3}");
        _overall!.Increment(1);
    }

    public void OnEpochEnd(TrainerState state, EpochRecord e)
    {
        // Columns a task does not have (text detection: val loss, accuracy, macro F1) are NaN and left out.
        string Column(string name, double v) => double.IsNaN(v) ? "" : F($"  {name} {v:F4}");
        var line = F($"epoch {e.Epoch}/{state.Epochs}  train_loss {e.TrainLoss:F4}") + Column("val_loss", e.ValLoss) + Column("val_acc", e.ValAccuracy) + Column("val_f1", e.ValF1Macro)
            + string.Concat((e.Extra ?? new Dictionary<string, double>()).Select(m => Column(m.Key, m.Value)))
            + F($"  {e.Seconds:F1}s  wait {e.DataWaitSeconds:F1}s  eta {Eta(state)}{(state.IsBestEpoch ? "  *best" : "")}");
        if (context is null) { Console.WriteLine(line); return; }
        if (_epoch is not null)
        {
            _epoch.Description = Markup.Escape(line);
            _epoch.Value = _epoch.MaxValue;
            _epoch.StopTask();
        }
    }

    public void OnFitEnd(TrainerState state) => _overall?.StopTask();

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
