using Podium.Config;
using Podium.Tracking;
using Podium.Training;
using static TorchSharp.torch;

namespace Podium.Tasks;

/// <summary>One training run of a task: its data and batches, its model, how it fits, and its final evaluation.</summary>
public interface ITaskRun
{
    /// <summary>The config the run uses and saves: the resolved one plus what preparing the data settled.</summary>
    PodiumConfig Config { get; }
    TaskData Data { get; }
    /// <summary>Batches per epoch of the training loader.</summary>
    int StepsPerEpoch { get; }
    /// <summary>What validation reports every epoch, in epochs.csv's order.</summary>
    IReadOnlyList<MetricSpec> Metrics { get; }
    /// <summary>A regex on parameter names matching the model's head (everything else is the backbone: freezing,
    /// backbone_lr_scale).</summary>
    string HeadPattern { get; }

    /// <summary>One line about the model for the log (its size, what it sees).</summary>
    string Describe(nn.Module<Tensor, Tensor> model);

    /// <summary>The untrained model (the caller seeds libtorch first, so a seed gives the same weights).</summary>
    nn.Module<Tensor, Tensor> CreateModel();

    /// <summary>Callbacks only this task has (the class distribution of classification batches).</summary>
    IEnumerable<ITrainerCallback> Callbacks(RunDirectory run, Action<string> log);

    /// <summary>Trains with <paramref name="trainer"/>: builds the loss and the batches and hands them to the loop.</summary>
    void Fit(Trainer trainer, Device device, Action<string> log, bool validate = true);

    /// <summary>After training: the model (its best checkpoint loaded) evaluated once more into the run folder; what the command
    /// prints.</summary>
    TaskOutcome Finish(RunDirectory run, nn.Module<Tensor, Tensor> model, Device device, Action<string> log);
}
