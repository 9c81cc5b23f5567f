using TorchSharp;

namespace Podium.Platform;

/// <summary>
/// Scalars for libtorch calls that are never freed early. TorchSharp 0.107 turns a number passed to a tensor method
/// (<c>t * 0.5</c>, and <c>a.add(b)</c>'s implicit alpha of 1) into a Scalar that nothing references once its handle is
/// read; a garbage collection during the native call (another thread allocating) then finalizes it while libtorch
/// still reads it, and the step fails with "Expected false to be true" or worse. Podium passes these process-lifetime
/// constants, or a Scalar it disposes after the call (<see cref="TensorMath"/>), never a temporary.
/// </summary>
public static class Scalars
{
    /// <summary>1: the alpha of a plain add or sub.</summary>
    public static Scalar One { get; } = 1.ToScalar();
    public static Scalar MinusOne { get; } = (-1).ToScalar();
    public static Scalar MinusTwo { get; } = (-2).ToScalar();
    public static Scalar Zero { get; } = 0.ToScalar();
}
