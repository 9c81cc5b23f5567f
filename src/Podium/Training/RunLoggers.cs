namespace Podium.Training;

/// <summary>
/// Several loggers as one, and the callback that feeds them from the trainer: the run's start (with what a resumed run
/// already logged) and its hyperparameters, every step, every epoch with whether it was the best, and the end.
/// </summary>
public sealed class RunLoggers(string name, string folder, IEnumerable<IRunLogger> loggers,
    IReadOnlyDictionary<string, string>? hyperparameters = null, IReadOnlyDictionary<string, object>? environment = null)
    : IRunLogger, ITrainerCallback
{
    private readonly List<IRunLogger> _loggers = [.. loggers];

    public IReadOnlyList<IRunLogger> Loggers => _loggers;

    public void Start(RunStart start) => _loggers.ForEach(l => l.Start(start));
    public void Hyperparameters(IReadOnlyDictionary<string, string> values) => _loggers.ForEach(l => l.Hyperparameters(values));
    public void Step(StepRecord step) => _loggers.ForEach(l => l.Step(step));
    public void Epoch(EpochRecord epoch, bool best) => _loggers.ForEach(l => l.Epoch(epoch, best));
    public void Image(string imageName, string path) => _loggers.ForEach(l => l.Image(imageName, path));
    public void Results(string resultsName, IReadOnlyDictionary<string, double> values) => _loggers.ForEach(l => l.Results(resultsName,
        values));
    public void Finish(RunEnd end) => _loggers.ForEach(l => l.Finish(end));
    public void Fail(string error) => _loggers.ForEach(l => l.Fail(error));

    public void OnFitStart(TrainerState state)
    {
        Start(new RunStart(name, folder, state.Epochs, state.StepsPerEpoch, state.Epoch, state.LossParts, state.Metrics, state.Monitor,
            environment));
        if (hyperparameters is not null) Hyperparameters(hyperparameters);
    }

    public void OnStep(TrainerState state, StepRecord step) => Step(step);

    public void OnEpochEnd(TrainerState state, EpochRecord epoch) => Epoch(epoch, state.IsBestEpoch);

    public void OnFitEnd(TrainerState state) => Finish(new RunEnd(state.History.Count, state.BestEpoch, state.BestRecord,
        state.StopReason));
}
