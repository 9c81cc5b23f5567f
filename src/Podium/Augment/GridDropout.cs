using OpenCvSharp;

namespace Podium.Augment;

/// <summary>A regular grid of square holes: unit size uniform in the range, holes ratio of each unit, random offset.</summary>
public sealed class GridDropout(double ratio = 0.5, int unitMin = 10, int unitMax = 40, bool randomOffset = true, double fill = 0,
    double? maskFill = null, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        int unit = rng.Next(unitMin, unitMax + 1);
        int hole = Math.Max(1, (int)Math.Round(unit * ratio));
        int ox = randomOffset ? rng.Next(unit) : 0, oy = randomOffset ? rng.Next(unit) : 0;
        var holes = new List<Rect>();
        for (int y = oy - unit; y < t.Height; y += unit)
            for (int x = ox - unit; x < t.Width; x += unit)
                holes.Add(new Rect(x, y, hole, hole));
        Holes.Fill(t, holes, fill, maskFill);
    }
}
