using Podium.Platform;
using Podium.Data;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// What the Trainer needs to know about a kind of model (Lightning's LightningModule split from the loop): the loss
/// of one batch and the validation after an epoch. Classification and text detection plug into the same loop,
/// callbacks, precision, EMA and resume.
/// </summary>
public interface ITrainingTask
{
    /// <summary>Names of the loss parts <see cref="StepLoss"/> reports beside the total (none by default).</summary>
    IReadOnlyList<string> LossParts => [];

    /// <summary>The batch's loss, in the step's dispose scope; <paramref name="loader"/> takes the batch's buffers back once its tensors exist.</summary>
    BatchLoss StepLoss(nn.Module<Tensor, Tensor> model, Batch batch, BatchLoader loader, Device device, int epoch, long step);

    /// <summary>Scores the model on the validation data after <paramref name="epoch"/>: the fixed columns (loss, accuracy, macro F1; NaN where a task has none) and its named metrics.</summary>
    Validation Validate(nn.Module<Tensor, Tensor> model, BatchLoader val, Device device, int epoch);
}

/// <summary>A batch's loss to minimise and, for a task with <see cref="ITrainingTask.LossParts"/>, the value of each part.</summary>
public sealed record BatchLoss(Tensor Total, IReadOnlyList<double>? Parts = null);

/// <summary>Single- and multi-label classification: the configured loss on class indices or multi-hot targets, MixUp/CutMix, the classification metrics.</summary>
public sealed class ClassificationTask(nn.Module<Tensor, Tensor, Tensor> loss, int classes, IReadOnlyList<string> metrics, Augment.BatchMixer? mixer = null) : ITrainingTask
{
    public BatchLoss StepLoss(nn.Module<Tensor, Tensor> model, Batch batch, BatchLoader loader, Device device, int epoch, long step) => new(Loss(model, batch, loader, device, epoch, step));

    private Tensor Loss(nn.Module<Tensor, Tensor> model, Batch batch, BatchLoader loader, Device device, int epoch, long step)
    {
        var x = tensor(batch.Pixels, batch.Shape, device: device);
        var y = batch.Targets is { } targets ? tensor(targets, batch.TargetShape, device: device) : tensor(batch.Labels, device: device);
        loader.Recycle(batch);
        var mixed = mixer?.Mix(x, y, epoch, step);
        if (mixed is null) return loss.forward(model.forward(x), y);
        // λ·L(y) + (1 − λ)·L(y_partner) for a MixUp/CutMix batch.
        var logits = model.forward(mixed.Images);
        return loss.forward(logits, y).Times(mixed.Lambda).Plus(loss.forward(logits, mixed.PartnerLabels).Times(1 - mixed.Lambda));
    }

    public Validation Validate(nn.Module<Tensor, Tensor> model, BatchLoader val, Device device, int epoch) => Trainer.Validate(model, val, device, classes, metrics);
}
