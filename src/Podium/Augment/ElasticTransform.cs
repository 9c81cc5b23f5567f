using System.Runtime.InteropServices;
using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>
/// Elastic deformation (Simard et al. 2003): random displacements smoothed by a Gaussian of σ and
/// scaled by α. Points move by the inverse of the map, found by fixed-point iteration (the field is smooth).
/// </summary>
[Transform("elastic_transform")]
public sealed class ElasticTransform(ElasticTransform.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [NonNegative] public double Alpha { get; init; } = 1;
        [Positive] public double Sigma { get; init; } = 50;
        public BorderMode BorderMode { get; init; } = BorderMode.Reflect101;
    }

    private readonly double alpha = o.Alpha, sigma = o.Sigma;
    private readonly BorderTypes border = o.BorderMode.ToCv();

    public ElasticTransform() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        Mat Field()
        {
            var f = new Mat(t.Height, t.Width, MatType.CV_32FC1);
            new RNG((ulong)rng.NextInt64()).Fill(f, DistributionType.Uniform, Scalar.All(-1), Scalar.All(1));
            int k = Math.Max(3, ((int)(sigma * 4) | 1));
            Cv2.GaussianBlur(f, f, new Size(k, k), sigma);
            f *= alpha;
            return f;
        }
        using var dx = Field();
        using var dy = Field();
        using var mapX = new Mat(t.Height, t.Width, MatType.CV_32FC1);
        using var mapY = new Mat(t.Height, t.Width, MatType.CV_32FC1);
        // map = identity + displacement, a row at a time.
        var columns = Enumerable.Range(0, t.Width).Select(x => (float)x).ToArray();
        Pixels.RowBytes dxs = new(dx), dys = new(dy), xs = new(mapX), ys = new(mapY);
        for (int y = 0; y < xs.Rows; y++)
        {
            Pixels.Add(MemoryMarshal.Cast<byte, float>(dxs[y]), columns, MemoryMarshal.Cast<byte, float>(xs[y]));
            Pixels.Add(MemoryMarshal.Cast<byte, float>(dys[y]), y, MemoryMarshal.Cast<byte, float>(ys[y]));
        }
        Point2d Forward(Point2d p)
        {
            // Find q with q + d(q) = p (OpenCV coordinates are continuous ones minus 0.5).
            double px = p.X - 0.5, py = p.Y - 0.5, qx = px, qy = py;
            for (int i = 0; i < 20; i++)
            {
                qx = px - Remap.Sample(dx, qx, qy);
                qy = py - Remap.Sample(dy, qx, qy);
            }
            return new Point2d(qx + 0.5, qy + 0.5);
        }
        Remap.Apply(t, mapX, mapY, Forward, border);
    }
}
