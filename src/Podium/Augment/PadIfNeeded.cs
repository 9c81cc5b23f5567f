using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Pads (centred) to at least min_height x min_width; points move with the image.</summary>
[Transform("pad_if_needed")]
public sealed class PadIfNeeded(PadIfNeeded.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [ImageSize, Positive] public int? MinHeight { get; init; }
        [ImageSize, Positive] public int? MinWidth { get; init; }
        public BorderMode BorderMode { get; init; } = BorderMode.Constant;
        public double Value { get; init; }
        public Options() => P = 1;
    }

    private readonly int minHeight = o.MinHeight ?? 0, minWidth = o.MinWidth ?? 0;
    private readonly BorderTypes border = o.BorderMode.ToCv();
    private readonly double value = o.Value;

    public PadIfNeeded() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        int padH = Math.Max(0, minHeight - t.Height), padW = Math.Max(0, minWidth - t.Width);
        if (padH == 0 && padW == 0) return;
        int top = padH / 2, left = padW / 2;
        Mat Pad(Mat src, Scalar fill)
        {
            var dst = new Mat();
            Cv2.CopyMakeBorder(src, dst, top, padH - top, left, padW - left, border, fill);
            return dst;
        }
        t.Replace(Pad(t.Image, Scalar.All(value)));
        if (t.Mask is not null) t.ReplaceMask(Pad(t.Mask, Scalar.All(0)));
        t.MapPoints(q => new Point2d(q.X + left, q.Y + top));
    }
}
