using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Pads (centred) to at least min_height x min_width; points move with the image.</summary>
public sealed class PadIfNeeded(int minHeight, int minWidth, BorderTypes border = BorderTypes.Constant, double value = 0,
    double p = 1) : RandomTransform(p)
{
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
