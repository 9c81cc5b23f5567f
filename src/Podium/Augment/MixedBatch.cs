using static TorchSharp.torch;

namespace Podium.Augment;

/// <summary>One batch after MixUp or CutMix: the mixed images, the partner labels and the weight of the originals.</summary>
public sealed record MixedBatch(Tensor Images, Tensor PartnerLabels, double Lambda, string Kind);
