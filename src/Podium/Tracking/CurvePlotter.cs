using System.Globalization;
using Podium.Reporting;
using Podium.Training;

namespace Podium.Tracking;

/// <summary>Re-draws plots/curves.png (loss, its parts and lr per step) and plots/validation.png every epoch, and tells the
/// loggers.</summary>
public sealed class CurvePlotter(RunDirectory run, IRunLogger? loggers = null) : ITrainerCallback
{
    private readonly List<StepRecord> _steps = [];

    public string ValidationPlot => Path.Combine(run.Plots, "validation.png");

    /// <summary>A resumed run's curve starts with the steps already logged.</summary>
    public void OnFitStart(TrainerState state)
    {
        if (state.Epoch == 0 || !File.Exists(run.Metrics)) return;
        foreach (var l in File.ReadLines(run.Metrics).Skip(1).Select(l => l.Split(',')))
        {
            double D(int i) => double.Parse(l[i], CultureInfo.InvariantCulture);
            _steps.Add(new StepRecord(long.Parse(l[0], CultureInfo.InvariantCulture), int.Parse(l[1], CultureInfo.InvariantCulture), D(2),
                D(3), D(4), D(5), D(6), D(7),
                l.Length > 8 ? [.. Enumerable.Range(8, l.Length - 8).Select(D)] : null));
        }
    }

    public void OnStep(TrainerState state, StepRecord step) => _steps.Add(step);

    public void OnEpochEnd(TrainerState state, EpochRecord epoch)
    {
        Plots.LossAndLearningRate(_steps, run.CurvesPlot, state.LossParts);
        Plots.Validation(state.History, state.Metrics, ValidationPlot);
        loggers?.Image("curves", run.CurvesPlot);
        loggers?.Image("validation", ValidationPlot);
    }
}
