namespace Podium.Augment;

/// <summary>Random draws shared by the transforms, all from the sample's seeded <see cref="Random"/>.</summary>
public static class Sampling
{
    public static double Uniform(Random rng, double lo, double hi) => lo + rng.NextDouble() * (hi - lo);

    /// <summary>A standard normal draw (Box–Muller; two uniform draws, in this order).</summary>
    public static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
