using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>
/// DBNet's RandomCropData: a random window that cuts no text region (found by projecting the polygons on both axes
/// and drawing the window's edges from the gaps between them, up to <c>tries</c> times; the whole image otherwise),
/// at least <c>min_crop_side_ratio</c> of each side, scaled to fit <c>size</c>×<c>size</c> with its aspect kept and
/// padded at the bottom and right. Don't-care regions may be cut; regions left outside are dropped.
/// </summary>
[Transform("text_safe_crop")]
public sealed class TextSafeCrop(TextSafeCrop.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [ImageSize, Positive] public int? Size { get; init; }
        [Within(0.01, 1)] public double MinCropSideRatio { get; init; } = 0.1;
        [Positive] public int Tries { get; init; } = 10;
        public Options() => P = 1;
    }

    private readonly int size = o.Size ?? 0, tries = o.Tries;
    private readonly double minSideRatio = o.MinCropSideRatio;

    public TextSafeCrop() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        int w = t.Width, h = t.Height;
        var cared = t.Polygons.Where(q => q.Tag != Data.IcdarText.DontCare).ToList();
        var freeX = Free(w, cared.Select(q => (q.Points.Min(v => v.X), q.Points.Max(v => v.X))));
        var freeY = Free(h, cared.Select(q => (q.Points.Min(v => v.Y), q.Points.Max(v => v.Y))));
        var window = new Rect(0, 0, w, h);
        if (freeX.Count > 0 && freeY.Count > 0)
            for (int k = 0; k < tries; k++)
            {
                var (x1, x2) = Edges(freeX, rng);
                var (y1, y2) = Edges(freeY, rng);
                if (x2 - x1 < minSideRatio * w || y2 - y1 < minSideRatio * h) continue;
                // A window with no text at all teaches nothing; keep looking.
                if (cared.Count > 0 && !cared.Any(q => q.Points.All(v => v.X >= x1 && v.X <= x2 && v.Y >= y1 && v.Y <= y2))) continue;
                window = new Rect(x1, y1, x2 - x1, y2 - y1);
                break;
            }
        double scale = Math.Min(size / (double)window.Width, size / (double)window.Height);
        int cw = Math.Max(1, (int)Math.Round(window.Width * scale)), ch = Math.Max(1, (int)Math.Round(window.Height * scale));
        Warp.CropResize(t, window, cw, ch);
        Mat Pad(Mat src)
        {
            var dst = new Mat(); Cv2.CopyMakeBorder(src, dst, 0, size - ch, 0, size - cw, BorderTypes.Constant,
            Scalar.All(0)); return dst;
        }
        if (ch < size || cw < size)
        {
            t.Replace(Pad(t.Image));
            if (t.Mask is not null) t.ReplaceMask(Pad(t.Mask));
        }
    }

    /// <summary>Pixel columns (or rows) 0..n−1 that no text region covers.</summary>
    private static List<int> Free(int n, IEnumerable<(double Lo, double Hi)> spans)
    {
        var covered = new bool[n];
        foreach (var (lo, hi) in spans)
            for (int i = Math.Max(0, (int)Math.Floor(lo)); i <= Math.Min(n - 1, (int)Math.Ceiling(hi)); i++) covered[i] = true;
        return Enumerable.Range(0, n).Where(i => !covered[i]).ToList();
    }

    /// <summary>Two edges drawn from the free positions (the official code draws from the free runs; any two free pixels cut no
    /// text).</summary>
    private static (int Lo, int Hi) Edges(List<int> free, Random rng)
    {
        int a = free[rng.Next(free.Count)], b = free[rng.Next(free.Count)];
        return (Math.Min(a, b), Math.Max(a, b) + 1);
    }
}
