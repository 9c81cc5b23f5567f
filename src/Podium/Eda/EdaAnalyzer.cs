using OpenCvSharp;
using Podium.Data;

namespace Podium.Eda;

/// <summary>Turns scanned facts into the summary; the thresholds for "suspicious" are the user's.</summary>
public sealed class EdaAnalyzer(EdaOptions options)
{
    public EdaSummary Summarize(string dataPath, ImageDataset train, IReadOnlyList<SkippedInput> skipped, ImageFacts[] trainFacts,
        string? testPath, ImageFacts[] testFacts, IReadOnlyList<SkippedInput> testSkipped, List<DuplicatePair> pairs, double seconds)
    {
        var ok = trainFacts.Where(f => f.Readable).ToArray();
        bool ocr = ok.Length > 0 && train.Polygons(ok[0].Index) is not null;
        bool labelled = !ocr && train.Classes.Count > 0 && ok.Any(f => f.Label >= 0);
        var perClass = new int[train.Classes.Count];
        foreach (var f in ok) if (f.Label >= 0 && f.Label < perClass.Length) perClass[f.Label]++;
        var classes = labelled
            ? train.Classes.Select((name, k) => new ClassCount(name, perClass[k],
                ok.Length == 0 ? 0 : (double)perClass[k] / ok.Length)).ToList()
            : [];
        var present = classes.Where(c => c.Count > 0).ToArray();
        double imbalance = present.Length == 0 ? 1 : (double)present.Max(c => c.Count) / present.Min(c => c.Count);
        var (mean, std) = ok.Length > 0 ? ImageScan.ChannelStats(ok) : ([], []);
        var looks = labelled
            ? classes.Select((c, k) => Look(c.Name, ok.Where(f => f.Label == k))).ToList()
            : [Look(ocr ? "text" : "all", ok)];

        return new EdaSummary(
            dataPath, ocr ? "ocr" : labelled ? "classification" : "unlabelled", ok.Length, skipped.Count,
            testPath, testFacts.Count(f => f.Readable), classes, imbalance,
            Distribution.Of(ok.Select(f => (double)f.Width)), Distribution.Of(ok.Select(f => (double)f.Height)),
            Distribution.Of(ok.Select(f => f.Aspect)), Distribution.Of(ok.Select(f => f.Bytes / 1024.0)),
            Tally(ok.Select(f => f.Channels == 1 ? "1 (grayscale)" : f.GrayAsColor ? "3 (gray as colour)" : $"{f.Channels}")),
            Tally(ok.Select(f => f.Format)),
            new ChannelStats(mean.Select(Round).ToArray(), std.Select(Round).ToArray()), looks,
            DuplicateSummary(pairs.Where(p => !p.CrossesSets && p.A.Set == "train"), train),
            DuplicateSummary(pairs.Where(p => p.CrossesSets), train),
            Suspicious(trainFacts, skipped).Concat(Suspicious(testFacts, testSkipped)).ToList(),
            ocr ? Text(train, ok) : null, Math.Round(seconds, 2), options.Threads);
    }

    private static double Round(double v) => Math.Round(v, 4);

    private static ClassLook Look(string name, IEnumerable<ImageFacts> facts)
    {
        var f = facts.ToArray();
        return new ClassLook(name, Distribution.Of(f.Select(x => x.Brightness)), Distribution.Of(f.Select(x => x.Contrast)),
            Distribution.Of(f.Select(x => x.Sharpness)));
    }

    private static Dictionary<string, int> Tally(IEnumerable<string> values) =>
        values.GroupBy(v => v).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());

    private static DuplicateStats DuplicateSummary(IEnumerable<DuplicatePair> selected, ImageDataset train)
    {
        var list = selected.OrderByDescending(p => p.Exact).ThenByDescending(p => p.Similarity).ToList();
        var groups = Duplicates.Groups(list);
        FileRef Ref(ImageFacts f) => new(f.Path, f.Set, f.Label >= 0 && f.Label < train.Classes.Count ? train.Classes[f.Label] : null);
        return new DuplicateStats(list.Count(p => p.Exact), list.Count(p => !p.Exact), groups.Count, groups.Sum(g => g.Count - 1),
            list.Count(p => p.A.Label >= 0 && p.B.Label >= 0 && p.A.Label != p.B.Label),
            list.Select(p => new PairEntry(Ref(p.A), Ref(p.B), p.Exact, p.HashDistance, Math.Round(p.Similarity, 4),
                p.Recoloured)).ToList());
    }

    /// <summary>Files a person should look at: unreadable, tiny, extreme aspect, blank, grayscale stored as colour.</summary>
    private IEnumerable<ProblemEntry> Suspicious(ImageFacts[] facts, IReadOnlyList<SkippedInput> skipped)
    {
        foreach (var s in skipped) yield return new ProblemEntry(s.Where, s.Problem);
        // A grayscale file is worth a look only among colour ones (a scanner's gray page in a photo set).
        bool mostlyColour = facts.Count(f => f.Readable && f.Channels == 3 && !f.GrayAsColor) * 2 > facts.Count(f => f.Readable);
        // Tiny is relative: 28 px is normal for MNIST-like data, not for photos around 128 px.
        var sides = facts.Where(f => f.Readable).Select(f => Math.Min(f.Width, f.Height)).Order().ToArray();
        double tiny = sides.Length == 0 ? 0 : Math.Min(options.MinSide, sides[sides.Length / 2] / 2.0);
        foreach (var f in facts)
        {
            if (!f.Readable) { yield return new ProblemEntry(f.Path, f.Problem!); continue; }
            if (Math.Min(f.Width, f.Height) < tiny)
                yield return new ProblemEntry(f.Path,
                    $"tiny: {f.Width}x{f.Height} (under {tiny:0} px; half the median is {sides[sides.Length / 2] / 2.0:0})");
            double aspect = Math.Max(f.Aspect, 1 / f.Aspect);
            if (aspect > options.MaxAspect)
                yield return new ProblemEntry(f.Path, $"extreme aspect ratio {aspect:F1}:1 ({f.Width}x{f.Height})");
            if (f.Contrast < 2.0 / 255)
                yield return new ProblemEntry(f.Path, $"blank: almost uniform (contrast {f.Contrast * 255:F1} grey levels)");
            if (mostlyColour && f.Channels == 1) yield return new ProblemEntry(f.Path, "grayscale file among colour images");
            if (mostlyColour && f.GrayAsColor) yield return new ProblemEntry(f.Path,
                "grayscale stored as colour (R = G = B) among colour images");
        }
    }

    private TextStats Text(ImageDataset data, ImageFacts[] facts)
    {
        var widths = new List<double>();
        var heights = new List<double>();
        var angles = new List<double>();
        var perImage = new List<double>();
        int dontCare = 0, tiny = 0, outside = 0;
        foreach (var f in facts)
        {
            var regions = data.Polygons(f.Index) ?? [];
            perImage.Add(regions.Count);
            foreach (var r in regions)
            {
                if (r.Tag == Data.IcdarText.DontCare) dontCare++;
                var (w, h, angle) = Measure(r.Points);
                widths.Add(w);
                heights.Add(h);
                angles.Add(angle);
                if (Math.Min(w, h) < options.MinTextHeight) tiny++;
                if (r.Points.Any(p => p.X < -1 || p.Y < -1 || p.X > f.Width + 1 || p.Y > f.Height + 1)) outside++;
            }
        }
        var orientation = Tally(angles.Select(a => Math.Abs(a) <= 10 ? "horizontal (±10°)" : Math.Abs(Math.Abs(a) - 90) <= 10
            ? "vertical" : "rotated"));
        return new TextStats(widths.Count, dontCare, Distribution.Of(perImage), Distribution.Of(widths), Distribution.Of(heights),
            Distribution.Of(widths.Zip(heights, (w, h) => h > 0 ? w / h : double.NaN)), Distribution.Of(angles), tiny, outside,
                orientation);
    }

    /// <summary>
    /// Reading-direction width, height and angle of a text region: for a quad, the mean of its
    /// opposite edges, with the angle of its first edge (ICDAR quads start at the top-left corner,
    /// clockwise); for other polygons, the minimum-area rectangle.
    /// </summary>
    public static (double Width, double Height, double AngleDegrees) Measure(Point2d[] p)
    {
        static double Length(Point2d a, Point2d b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
        if (p.Length == 4)
        {
            double w = (Length(p[0], p[1]) + Length(p[3], p[2])) / 2, h = (Length(p[1], p[2]) + Length(p[0], p[3])) / 2;
            double angle = Math.Atan2(p[1].Y - p[0].Y, p[1].X - p[0].X) * 180 / Math.PI;
            return (w, h, angle);
        }
        if (p.Length < 3) return (0, 0, 0);
        var rect = Cv2.MinAreaRect(p.Select(q => new Point2f((float)q.X, (float)q.Y)));
        var (rw, rh, ra) = rect.Size.Width >= rect.Size.Height ? (rect.Size.Width, rect.Size.Height, rect.Angle) : (rect.Size.Height,
            rect.Size.Width, rect.Angle - 90);
        return (rw, rh, ra);
    }
}
