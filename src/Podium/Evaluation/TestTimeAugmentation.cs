using Podium.Augment;

namespace Podium.Evaluation;

/// <summary>
/// Test-time augmentation from a short spec, as the predict and evaluate commands take it:
/// <c>hflip,vflip,five-crop,scales=0.9:1.0:1.1</c>. Every view follows the validation pipeline (so it
/// works on img_size images); the plain view is always one of them. Views are merged by the mean of
/// probabilities or their geometric mean (renormalised), which punishes a view that rules a class out.
/// </summary>
public static class TestTimeAugmentation
{
    public const string Kinds = "hflip, vflip, five-crop, scales=S:S:...";

    /// <summary>The views a spec names (not the plain one), each a name and the transforms appended to the validation pipeline.</summary>
    public static List<(string Name, ITransform View)> Parse(string spec, int size)
    {
        var views = new List<(string, ITransform)>();
        foreach (var raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw == "hflip") views.Add((raw, new HorizontalFlip(new() { P = 1 })));
            else if (raw == "vflip") views.Add((raw, new VerticalFlip(new() { P = 1 })));
            else if (raw is "five-crop" or "five_crop")
            {
                // Four corners and the centre at 87.5% of the side, each resized back (the classic ten-crop's first half).
                int c = (int)Math.Round(0.875 * size), far = size - c, mid = far / 2;
                foreach (var (name, x, y) in new[] { ("crop-tl", 0, 0), ("crop-tr", far, 0), ("crop-bl", 0, far), ("crop-br", far, far),
                    ("crop-c", mid, mid) })
                {
                    var crop = new Crop(new() { XMin = x, YMin = y, XMax = x + c, YMax = y + c });
                    views.Add((name, new Compose([crop, new Resize(size, size)])));
                }
            }
            else if (raw.StartsWith("scales=", StringComparison.Ordinal))
            {
                foreach (var part in raw["scales=".Length..].Split(':'))
                {
                    if (!double.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture,
                        out var s) || s <= 0 || s > 4)
                        throw new PodiumException($"--tta {raw}: '{part}' is not a scale in (0, 4]");
                    int scaled = (int)Math.Round(s * size);
                    if (scaled == size) continue; // the plain view
                    // Zoom in: enlarge and take the centre; zoom out: shrink and pad by reflection, at the same input size.
                    ITransform view = scaled > size
                        ? new Compose([new Resize(scaled, scaled), new CenterCrop(new() { Height = size, Width = size })])
                        : new Compose([new Resize(scaled, scaled),
                            new PadIfNeeded(new() { MinHeight = size, MinWidth = size, BorderMode = BorderMode.Reflect101 })]);
                    views.Add(($"scale-{part}", view));
                }
            }
            else throw new PodiumException($"--tta: unknown view '{raw}' ({Kinds})");
        }
        return views;
    }

    /// <summary>Pipelines for the spec's views: the validation pipeline, then the view.</summary>
    public static List<(string Name, Pipeline Pipeline)> Pipelines(string spec, Pipeline val) =>
        Parse(spec, Math.Max(val.Width, val.Height)).Select(v => (v.Name, new Pipeline(new Compose([val.Transforms, v.View]), val.Normalize,
            val.Height, val.Width))).ToList();

    /// <summary>Merges the predictions of the views: mean, or gmean (geometric mean, renormalised per image).</summary>
    public static Predictions Merge(IReadOnlyList<Predictions> views, string method)
    {
        if (method == "mean") return Predictor.Mean(views);
        if (method != "gmean") throw new PodiumException($"--tta-merge {method}: expected mean or gmean");
        int n = views[0].Probabilities.GetLength(0), k = views[0].Probabilities.GetLength(1);
        bool multiLabel = views[0].MultiLabel;
        double LogMean(int i, int c, bool complement) =>
            views.Average(v => Math.Log(Math.Max(complement ? 1 - v.Probabilities[i, c] : v.Probabilities[i, c], 1e-12f)));
        var merged = new float[n, k];
        for (int i = 0; i < n; i++)
        {
            if (multiLabel)
            {
                // Each label is its own two-way distribution (p, 1 − p): the normalised geometric mean of both.
                for (int c = 0; c < k; c++)
                {
                    double yes = Math.Exp(LogMean(i, c, false)), no = Math.Exp(LogMean(i, c, true));
                    merged[i, c] = (float)(yes / (yes + no));
                }
                continue;
            }
            double sum = 0;
            var row = new double[k];
            for (int c = 0; c < k; c++) sum += row[c] = Math.Exp(LogMean(i, c, false));
            for (int c = 0; c < k; c++) merged[i, c] = (float)(row[c] / sum);
        }
        return new Predictions(merged, views[0].Indices, multiLabel);
    }
}
