using static TorchSharp.torch;

namespace Podium.Ocr;

/// <summary>The four training maps of a batch, each [N, H, W] float.</summary>
public sealed record DbBatchTargets(Tensor Probability, Tensor Mask, Tensor Threshold, Tensor ThresholdMask);
