using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>What building a loss needs from the run: the class counts (class weights), the device, the cosine head's scale.</summary>
/// <param name="ClassCounts">Training samples per class; for multi-label data, each label's positives.</param>
/// <param name="Scale">The cosine head's scale (arcface, cosface read cos θ back from its logits).</param>
/// <param name="MultiLabelImages">Multi-label data: the training images; 0 otherwise.</param>
public sealed record LossContext(IReadOnlyList<int> ClassCounts, Device Device, double Scale = 30, int MultiLabelImages = 0);
