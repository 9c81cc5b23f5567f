namespace Podium.Training;

/// <summary>
/// Where a run's record goes (Lightning's loggers): per-step scalars, per-epoch metrics, images, hyperparameters and
/// final results, to any number of loggers at once. The CSV files of a run folder and the console progress are two;
/// an experiment store or TensorBoard is another, without touching the loop.
/// </summary>
public interface IRunLogger
{
    /// <summary>The run starts, or resumes after <see cref="RunStart.ResumedAfterEpoch"/> epochs.</summary>
    void Start(RunStart start) { }
    /// <summary>The run's resolved settings, flat (train.optimizer.lr → value).</summary>
    void Hyperparameters(IReadOnlyDictionary<string, string> values) { }
    void Step(StepRecord step) { }
    void Epoch(EpochRecord epoch, bool best) { }
    /// <summary>A picture the run made or re-drew (curves after each epoch, a confusion matrix, a gallery).</summary>
    void Image(string name, string path) { }
    /// <summary>Final figures under a name (the best checkpoint's evaluation, test scores).</summary>
    void Results(string name, IReadOnlyDictionary<string, double> values) { }
    void Finish(RunEnd end) { }
    /// <summary>The run stopped on an error (instead of <see cref="Finish"/>).</summary>
    void Fail(string error) { }
}
