using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Platform;

/// <summary>
/// Arithmetic with numbers, as TorchSharp's operators compute it (the same kernels, so the same bits), but with each
/// number in a Scalar that lives until libtorch has returned (see <see cref="Scalars"/>): <c>p.Times(0.5)</c> for
/// <c>p * 0.5</c>, <c>p.SubtractedFrom(1)</c> for <c>1 - p</c>, <c>a.Plus(b)</c> for <c>a + b</c>. Whole-number
/// overloads keep integer tensors integer, as the operators do.
/// </summary>
public static class TensorMath
{
    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, Scalars.One);

    /// <summary>a + v.</summary>
    public static Tensor Plus(this Tensor a, double v)
    {
        using var s = v.ToScalar();
        return a.add(s, Scalars.One);
    }

    /// <summary>a + v.</summary>
    public static Tensor Plus(this Tensor a, long v)
    {
        using var s = v.ToScalar();
        return a.add(s, Scalars.One);
    }

    /// <summary>a − v.</summary>
    public static Tensor Minus(this Tensor a, double v)
    {
        using var s = v.ToScalar();
        return a.sub(s);
    }

    /// <summary>v − a (TorchSharp computes −a + v).</summary>
    public static Tensor SubtractedFrom(this Tensor a, double v)
    {
        using var s = v.ToScalar();
        return a.negative().add(s, Scalars.One);
    }

    /// <summary>a · v.</summary>
    public static Tensor Times(this Tensor a, double v)
    {
        using var s = v.ToScalar();
        return a.mul(s);
    }

    /// <summary>a · v.</summary>
    public static Tensor Times(this Tensor a, long v)
    {
        using var s = v.ToScalar();
        return a.mul(s);
    }

    /// <summary>a / v.</summary>
    public static Tensor Over(this Tensor a, double v)
    {
        using var s = v.ToScalar();
        return a.div(s);
    }

    /// <summary>a ^ v.</summary>
    public static Tensor Power(this Tensor a, double v)
    {
        using var s = v.ToScalar();
        return a.pow(s);
    }

    /// <summary>a clamped to [lo, hi].</summary>
    public static Tensor Clamp(this Tensor a, double lo, double hi)
    {
        using var min = lo.ToScalar();
        using var max = hi.ToScalar();
        return a.clamp(min, max);
    }

    /// <summary>In place: a ← a · v.</summary>
    public static Tensor TimesInPlace(this Tensor a, double v)
    {
        using var s = v.ToScalar();
        return a.mul_(s);
    }

    /// <summary>In place: a ← a + b · v.</summary>
    public static Tensor AddScaledInPlace(this Tensor a, Tensor b, double v)
    {
        using var s = v.ToScalar();
        return a.add_(b, s);
    }

    /// <summary>|a|² − 2 a·b + |b|² for every row of <paramref name="a"/> against every row of <paramref name="b"/>, clamped at 0
    /// against rounding.</summary>
    public static Tensor SquaredDistances(Tensor a, Tensor b) =>
        a.matmul(b.t()).Times(-2.0).Plus(a.mul(a).sum(1).unsqueeze(1)).Plus(b.mul(b).sum(1).unsqueeze(0)).clamp_min(Scalars.Zero);
}
