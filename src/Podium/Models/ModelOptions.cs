namespace Podium.Models;

/// <summary>Construction options a config can set beyond the class count.</summary>
/// <param name="ImgSize">The training image size (ViT and CoAtNet size their position tables for it).</param>
/// <param name="DropPath">Stochastic depth rate of the last block (timm's drop_path_rate; Podium's own backbones).</param>
/// <param name="DropRate">Dropout before the classifier (null: the family's default).</param>
public sealed record ModelOptions(int ImgSize = 224, double DropPath = 0, double? DropRate = null)
{
    public static ModelOptions From(Config.PodiumConfig c) => new(c.Data.ImgSize, c.Model.DropPath, c.Model.DropRate);
}
