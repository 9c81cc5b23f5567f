using Podium.Config;

namespace Podium.Models;

/// <summary>The options of Podium's own families (EfficientNet, ConvNeXt, ViT, CoAtNet): stochastic depth and classifier
/// dropout, as timm's <c>drop_path_rate</c> and <c>drop_rate</c>.</summary>
public abstract record OwnBackboneOptions : BackboneOptions
{
    /// <summary>Stochastic depth: the drop rate of the deepest residual block, growing linearly from 0 over the blocks.</summary>
    [Within(0, 1, upperOpen: true)]
    public double DropPath { get; init; }

    /// <summary>Dropout before the classifier; null: the family's default (EfficientNet's 0.2–0.3, the others' 0).</summary>
    [Within(0, 1, upperOpen: true)]
    public double? DropRate { get; init; }
}
