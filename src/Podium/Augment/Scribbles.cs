using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Pen scribbles: a few random smooth strokes in a dark ink colour.</summary>
[Transform("scribbles")]
public sealed class Scribbles(Scribbles.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Positive] public Interval Count { get; init; } = new(1, 3);
    }

    private readonly int countLo = (int)o.Count.Lo, countHi = (int)o.Count.Hi;

    public Scribbles() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        var dst = t.Image.Clone();
        for (int s = rng.Next(countLo, countHi + 1); s > 0; s--)
        {
            var colour = t.Image.Channels() == 3 ? new Scalar(rng.Next(0, 80), rng.Next(0, 80), rng.Next(60, 160)) : Scalar.All(rng.Next(0,
                80));
            double x = rng.Next(t.Width), y = rng.Next(t.Height), heading = rng.NextDouble() * Math.PI * 2;
            int steps = rng.Next(20, 60), thickness = rng.Next(1, Math.Max(2, t.Width / 300 + 2));
            double stride = Math.Max(2, Math.Min(t.Width, t.Height) / 40.0);
            var points = new List<Point>();
            for (int i = 0; i < steps; i++)
            {
                heading += Sampling.Uniform(rng, -0.6, 0.6);
                x += Math.Cos(heading) * stride;
                y += Math.Sin(heading) * stride;
                points.Add(new Point(x, y));
            }
            Cv2.Polylines(dst, [points], false, colour, thickness, LineTypes.AntiAlias);
        }
        t.Replace(dst);
    }
}
