using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>A regular grid of square holes: unit size uniform in the range, holes ratio of each unit, random offset.</summary>
[Transform("grid_dropout")]
public sealed class GridDropout(GridDropout.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Within(0.01, 1)] public double Ratio { get; init; } = 0.5;
        [Positive] public Interval UnitSizeRange { get; init; } = new(10, 40);
        public bool RandomOffset { get; init; } = true;
        public double FillValue { get; init; }
        public double? MaskFillValue { get; init; }
    }

    private readonly double ratio = o.Ratio, fill = o.FillValue;
    private readonly double? maskFill = o.MaskFillValue;
    private readonly int unitMin = (int)o.UnitSizeRange.Lo, unitMax = (int)o.UnitSizeRange.Hi;
    private readonly bool randomOffset = o.RandomOffset;

    public GridDropout() : this(new Options()) { }

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
