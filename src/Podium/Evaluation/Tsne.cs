using Podium.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Evaluation;

/// <summary>
/// t-SNE (van der Maaten and Hinton 2008) to draw embeddings on a plane, the exact method as scikit-learn 1.2 runs it: squared
/// Euclidean distances; per point a Gaussian whose precision a binary search fits to the perplexity; P symmetrised; a PCA start
/// scaled to a standard deviation of 1e-4; 1,000 steps of gradient descent with gains (momentum 0.5, then 0.8) on the
/// Student-t Q, the first 250 with P exaggerated 12 times; learning rate max(n / 12 / 4, 50). Every step is O(n²) (libtorch),
/// so at most <see cref="MaxPoints"/> points are drawn (a seeded sample beyond that).
/// </summary>
public static class Tsne
{
    /// <summary>The most points mapped (n² distances; 5,000 points: 100 MB a matrix).</summary>
    public const int MaxPoints = 5_000;

    private const double Exaggeration = 12, MinGain = 0.01;
    private const int ExplorationSteps = 250;

    /// <summary>Maps <paramref name="points"/> (n × d, n ≤ <see cref="MaxPoints"/>) to n × 2.</summary>
    public static TsneResult Fit(float[,] points, double perplexity = 30, int steps = 1000)
    {
        int n = points.GetLength(0);
        if (n > MaxPoints) throw new ArgumentException($"t-SNE maps at most {MaxPoints} points, not {n}");
        if (n < 2) throw new PodiumException($"t-SNE: {n} points are too few to map");
        using var scope = NewDisposeScope();
        var x = tensor(points);
        var p = JointProbabilities(TensorMath.SquaredDistances(x, x), perplexity).to(ScalarType.Float32);
        var y = PcaStart(x);
        var update = zeros_like(y);
        var gains = ones_like(y);
        using var minusRate = (-Math.Max(n / Exaggeration / 4, 50)).ToScalar(); // learning rate "auto"
        double kl = double.NaN;
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            bool exploring = step < ExplorationSteps;
            var target = exploring ? p.Times(Exaggeration) : p;
            var (gradient, divergence) = Gradient(target, y, withDivergence: step == steps - 1);
            // Gains grow where the step keeps changing direction and shrink where it keeps going (Jacobs 1988), as scikit-learn.
            var flipped = update.mul(gradient).lt(Scalars.Zero);
            var grown = gains.Plus(0.2);
            var shrunk = gains.Times(0.8);
            gains.copy_(where(flipped, grown, shrunk).clamp_min(MinGainScalar));
            update.copy_(update.Times(exploring ? 0.5 : 0.8).add(gains.mul(gradient), minusRate));
            y.add_(update, Scalars.One);
            if (step == steps - 1) kl = divergence;
        }
        return new TsneResult(PointMath.ToArray(y), kl);
    }

    // Process-lifetime scalars (see Platform.Scalars); epsilon is numpy's double machine epsilon, as scikit-learn's.
    private static readonly Scalar MinGainScalar = MinGain.ToScalar(), Epsilon = 2.220446049250313e-16.ToScalar(),
        Tolerance = 1e-5.ToScalar(), MinusInfinity = double.NegativeInfinity.ToScalar(), Infinity = double.PositiveInfinity.ToScalar();

    /// <summary>
    /// P: for each point i a Gaussian over the others whose entropy is log(perplexity) (bisection on its precision, 100 steps at
    /// most, tolerance 1e-5, all rows at once), then (P + Pᵀ) / sum, at least machine epsilon: scikit-learn's _joint_probabilities.
    /// </summary>
    public static Tensor JointProbabilities(Tensor squaredDistances, double perplexity)
    {
        int n = (int)squaredDistances.shape[0];
        var d = squaredDistances.to(ScalarType.Float64);
        var offDiagonal = ones(n, n, ScalarType.Float64);
        offDiagonal.diagonal().zero_();
        var beta = ones(n, 1, ScalarType.Float64);
        var low = full(n, 1, MinusInfinity, ScalarType.Float64);
        var high = full(n, 1, Infinity, ScalarType.Float64);
        var done = zeros(n, 1, ScalarType.Bool);
        double desired = Math.Log(perplexity);
        Tensor conditional = empty(0);
        for (int step = 0; step < 100; step++)
        {
            var e = d.mul(beta).neg().exp().mul(offDiagonal);
            var sum = e.sum(1, keepdim: true).clamp_min(Epsilon);
            conditional = e.div(sum);
            var entropy = sum.log().add(beta.mul(d.mul(conditional).sum(1, keepdim: true)), Scalars.One);
            var difference = entropy.Minus(desired);
            done = done.logical_or(difference.abs().le(Tolerance));
            if (done.all().item<bool>()) break;
            // Too flat (entropy above the target): sharpen; too sharp: widen. Rows already within the tolerance stay.
            var sharpen = difference.gt(Scalars.Zero).logical_and(done.logical_not());
            var widen = difference.le(Scalars.Zero).logical_and(done.logical_not());
            low = where(sharpen, beta, low);
            high = where(widen, beta, high);
            var up = where(high.isinf(), beta.Times(2.0), beta.add(high, Scalars.One).Times(0.5));
            var downward = where(low.isinf(), beta.Times(0.5), beta.add(low, Scalars.One).Times(0.5));
            beta = where(sharpen, up, where(widen, downward, beta));
        }
        var joint = conditional.add(conditional.t(), Scalars.One);
        return joint.div(joint.sum().clamp_min(Epsilon)).clamp_min(Epsilon);
    }

    /// <summary>The first two principal components, scaled so the first has a standard deviation of 1e-4.</summary>
    private static Tensor PcaStart(Tensor x)
    {
        var centred = x.add(x.mean([0], keepdim: true), Scalars.MinusOne).to(ScalarType.Float64);
        var (_, _, vt) = linalg.svd(centred, fullMatrices: false);
        var projected = centred.matmul(vt.narrow(0, 0, 2).t());
        return projected.div(projected.select(1, 0).std(unbiased: false)).Times(1e-4).to(ScalarType.Float32);
    }

    /// <summary>The KL divergence's gradient: 4 Σⱼ (pᵢⱼ − qᵢⱼ)(1 + |yᵢ − yⱼ|²)⁻¹ (yᵢ − yⱼ), and the divergence where asked
    /// (its n² logs and a sync are wanted once, at the last step).</summary>
    private static (Tensor Gradient, double Divergence) Gradient(Tensor p, Tensor y, bool withDivergence)
    {
        var numerator = TensorMath.SquaredDistances(y, y).Plus(1.0).reciprocal();
        numerator.diagonal().zero_();
        var q = numerator.div(numerator.sum()).clamp_min(Epsilon);
        var pq = p.add(q, Scalars.MinusOne).mul(numerator);
        var gradient = pq.sum(1, keepdim: true).mul(y).add(pq.matmul(y), Scalars.MinusOne).Times(4.0);
        double divergence = withDivergence ? p.mul(p.div(q).log()).sum().item<float>() : double.NaN;
        return (gradient, divergence);
    }
}
