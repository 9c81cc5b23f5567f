using OpenCvSharp;
using Podium.Augment;

namespace Podium.Data;

/// <summary>
/// Text regions against their images' real sizes (found by decoding, in parallel): a region wholly outside its image is
/// left out, one partly outside is clipped to it; both are counted, per file, as skipped inputs.
/// </summary>
public static class TextRegionCheck
{
    public static ImageDataset Fit(ImageDataset data, List<SkippedInput> skipped)
    {
        if (data is not TextDetectionDataset text) return data;
        var fitted = new TextImage[text.Count];
        var problems = new List<SkippedInput>?[text.Count];
        Parallel.For(0, text.Count, i =>
        {
            var item = text.Images[i];
            using var image = ImageDecoder.Read(item.Path, 1);
            int w = image.Cols, h = image.Rows;
            var kept = new List<Polygon>();
            var local = new List<SkippedInput>();
            foreach (var r in item.Regions)
            {
                if (r.Points.All(p => p.X >= 0 && p.Y >= 0 && p.X <= w && p.Y <= h)) { kept.Add(r); continue; }
                var clipped = r.Points.Select(p => new Point2d(Math.Clamp(p.X, 0, w), Math.Clamp(p.Y, 0, h))).ToArray();
                if (Geometry.Area(clipped) < 1) local.Add(new SkippedInput(item.Path,
                    $"a text region outside the {w}x{h} image (left out)"));
                else
                {
                    kept.Add(r with { Points = clipped });
                    local.Add(new SkippedInput(item.Path, $"a text region partly outside the {w}x{h} image (clipped to it)"));
                }
            }
            fitted[i] = item with { Regions = kept };
            problems[i] = local;
        });
        foreach (var p in problems) if (p is not null) skipped.AddRange(p);
        return new TextDetectionDataset(fitted, text.Root);
    }
}
