using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>A batch's loss to minimise and, for a task with <see cref="ITrainingTask{TBatch}.LossParts"/>, the value of each
/// part.</summary>
public sealed record BatchLoss(Tensor Total, IReadOnlyList<double>? Parts = null);
