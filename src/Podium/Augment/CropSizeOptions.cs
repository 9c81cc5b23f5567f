using Podium.Config;

namespace Podium.Augment;

/// <summary>The output size the fixed-size crops share: height and width, each data.img_size unless a config sets it.</summary>
public abstract record CropSizeOptions : RandomOptions
{
    protected CropSizeOptions() => P = 1;

    [ImageSize, Positive] public int? Height { get; init; }
    [ImageSize, Positive] public int? Width { get; init; }
}
