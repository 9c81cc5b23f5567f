namespace Podium.Config;

/// <summary>Gradient clipping before each update: by total norm (PyTorch's clip_grad_norm_) and/or by value.</summary>
public sealed record ClipConfig
{
    public double? Norm { get; init; }
    public double? Value { get; init; }
}
