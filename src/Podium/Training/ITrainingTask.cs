using Podium.Data;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// What the Trainer needs to know about a kind of model (Lightning's LightningModule split from the loop): the loss of
/// one of its batches and its validation metrics after an epoch. Classification, multi-label classification and text
/// detection plug into the same loop, callbacks, precision, EMA and resume.
/// </summary>
public interface ITrainingTask<in TBatch> where TBatch : ImageBatch
{
    /// <summary>Names of the loss parts <see cref="StepLoss"/> reports beside the total (none by default).</summary>
    IReadOnlyList<string> LossParts => [];

    /// <summary>What <see cref="Validate"/> reports, in the order epochs.csv lists them.</summary>
    IReadOnlyList<MetricSpec> Metrics { get; }

    /// <summary>The batch's loss, in the step's dispose scope (the trainer takes the batch's buffers back afterwards).</summary>
    BatchLoss StepLoss(nn.Module<Tensor, Tensor> model, TBatch batch, Device device, int epoch, long step);

    /// <summary>Scores the model on the task's validation data after <paramref name="epoch"/>: a value for every metric's column.</summary>
    IReadOnlyDictionary<string, double> Validate(nn.Module<Tensor, Tensor> model, Device device, int epoch);
}
