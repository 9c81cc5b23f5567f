namespace Podium.Config;

/// <summary>
/// An option (an <c>int?</c> or <c>HeightWidth?</c>) that a config leaves to <c>data.img_size</c> when it does not set it.
/// Options made in C# must set it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ImageSizeAttribute : Attribute;
