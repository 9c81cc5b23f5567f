using OpenCvSharp;
using Podium.IO;

namespace Podium.Quickstart;

/// <summary>
/// A small classification dataset Podium makes itself: coloured shapes (circle, square, triangle,
/// star, cross) with random size, position, rotation, colours, gradient backgrounds, clutter lines,
/// blur and noise. Hard enough that augmentation and training matter; no downloads.
/// </summary>
public static class SyntheticShapes
{
    public static readonly string[] Classes = ["circle", "cross", "square", "star", "triangle"];

    /// <summary>Writes train/&lt;class&gt;/*.png, test/*.png, test_labels.csv and sample_submission.csv under <paramref
    /// name="root"/>.</summary>
    public static void Generate(string root, int trainPerClass, int testPerClass, int size, int seed)
    {
        var rng = new Random(seed);
        foreach (var c in Classes) Directory.CreateDirectory(Path.Combine(root, "train", c));
        Directory.CreateDirectory(Path.Combine(root, "test"));
        for (int k = 0; k < Classes.Length; k++)
            for (int i = 0; i < trainPerClass; i++)
                Save(Draw(k, size, rng), Path.Combine(root, "train", Classes[k], $"{Classes[k]}_{i:D4}.png"));

        // The test set is shuffled and named by number, so ids carry no label.
        var testLabels = Enumerable.Range(0, Classes.Length * testPerClass).Select(i => i % Classes.Length).ToArray();
        rng.Shuffle(testLabels);
        var answers = new List<string> { "id,label" };
        var sample = new List<string> { "id,label" };
        for (int i = 0; i < testLabels.Length; i++)
        {
            string id = $"img_{i:D5}";
            Save(Draw(testLabels[i], size, rng), Path.Combine(root, "test", id + ".png"));
            answers.Add($"{id},{Classes[testLabels[i]]}");
            sample.Add($"{id},{Classes[0]}");
        }
        AtomicFile.WriteAllLines(Path.Combine(root, "test_labels.csv"), answers);
        AtomicFile.WriteAllLines(Path.Combine(root, "sample_submission.csv"), sample);
    }

    /// <summary>
    /// Multi-label shapes: each image is a 2x2 grid of tiles holding one to three different shapes (the other
    /// tiles plain background), labelled with the shapes it shows. Writes train/*.png with train.csv
    /// (path,label, the labels space-separated), test/*.png, test_labels.csv and sample_submission.csv.
    /// </summary>
    public static void GenerateMultiLabel(string root, int trainCount, int testCount, int tileSize, int seed)
    {
        var rng = new Random(seed);
        string[] Make(string dir, string prefix, int count)
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
            var labels = new string[count];
            for (int i = 0; i < count; i++)
            {
                var shapes = Enumerable.Range(0, Classes.Length).OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)).ToArray();
                var tiles = shapes.Concat(Enumerable.Repeat(-1, 4 - shapes.Length)).OrderBy(_ => rng.Next()).ToArray();
                using var image = new Mat(tileSize * 2, tileSize * 2, MatType.CV_8UC3);
                for (int t = 0; t < 4; t++)
                {
                    using var tile = Draw(tiles[t], tileSize, rng);
                    using var roi = new Mat(image, new Rect(t % 2 * tileSize, t / 2 * tileSize, tileSize, tileSize));
                    tile.CopyTo(roi);
                }
                Save(image, Path.Combine(root, dir, $"{prefix}_{i:D5}.png"));
                labels[i] = string.Join(' ', shapes.Order().Select(k => Classes[k]));
            }
            return labels;
        }
        var train = Make("train", "train", trainCount);
        AtomicFile.WriteAllLines(Path.Combine(root, "train.csv"), ["path,label", .. train.Select((l, i) => $"train/train_{i:D5}.png,{l}")]);
        var test = Make("test", "img", testCount);
        AtomicFile.WriteAllLines(Path.Combine(root, "test_labels.csv"), ["id,label", .. test.Select((l, i) => $"img_{i:D5},{l}")]);
        AtomicFile.WriteAllLines(Path.Combine(root, "sample_submission.csv"), ["id,label",
            .. test.Select((_, i) => $"img_{i:D5},{Classes[0]}")]);
    }

    /// <summary>One image of <paramref name="shape"/> (an index into <see cref="Classes"/>; −1: background and clutter only).</summary>
    public static Mat Draw(int shape, int size, Random rng)
    {
        var img = new Mat(size, size, MatType.CV_8UC3);
        // Background: a gentle gradient between two nearby colours.
        var a = RandomColor(rng);
        var b = new Scalar(Jitter(a.Val0, rng), Jitter(a.Val1, rng), Jitter(a.Val2, rng));
        // Linear gradient background in a random direction.
        double angle = rng.NextDouble() * Math.PI * 2, dx = Math.Cos(angle), dy = Math.Sin(angle);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double t = Math.Clamp(0.5 + ((x - size / 2.0) * dx + (y - size / 2.0) * dy) / size, 0, 1);
                img.Set(y, x, new Vec3b((byte)(a.Val0 + (b.Val0 - a.Val0) * t), (byte)(a.Val1 + (b.Val1 - a.Val1) * t),
                    (byte)(a.Val2 + (b.Val2 - a.Val2) * t)));
            }
        // Clutter: thin random lines that are not the shape.
        for (int i = rng.Next(0, 3); i > 0; i--)
            Cv2.Line(img, new Point(rng.Next(size), rng.Next(size)), new Point(rng.Next(size), rng.Next(size)), RandomColor(rng), 1,
                LineTypes.AntiAlias);

        if (shape >= 0) DrawShape(img, shape, size, rng);
        if (rng.NextDouble() < 0.3) Cv2.GaussianBlur(img, img, new Size(3, 3), 0);
        using var noise = new Mat(size, size, MatType.CV_16SC3);
        Cv2.Randn(noise, Scalar.All(0), Scalar.All(4 + rng.Next(8)));
        using var wide = new Mat();
        img.ConvertTo(wide, MatType.CV_16SC3);
        Cv2.Add(wide, noise, wide);
        wide.ConvertTo(img, MatType.CV_8UC3);
        return img;
    }

    private static void DrawShape(Mat img, int shape, int size, Random rng)
    {
        Scalar fg;
        var bgMean = Cv2.Mean(img);
        do fg = RandomColor(rng); while (Distance(fg, bgMean) < 150);
        double r = size * (0.24 + rng.NextDouble() * 0.14);
        var centre = new Point2d(r + rng.NextDouble() * (size - 2 * r), r + rng.NextDouble() * (size - 2 * r));
        double rot = rng.NextDouble() * Math.PI * 2;
        switch (shape)
        {
            case 0: Cv2.Circle(img, (Point)centre, (int)r, fg, -1, LineTypes.AntiAlias); break;
            case 1: // cross: two bars
                Poly(img, Rect(centre, r, r * 0.32, rot), fg);
                Poly(img, Rect(centre, r * 0.32, r, rot), fg);
                break;
            case 2: Poly(img, Regular(centre, r, 4, rot), fg); break;
            case 3: Poly(img, Star(centre, r, r * 0.45, 5, rot), fg); break;
            default: Poly(img, Regular(centre, r, 3, rot), fg); break;
        }
    }

    private static void Poly(Mat img, Point[] points, Scalar color) => Cv2.FillPoly(img, [points], color, LineTypes.AntiAlias);

    private static Point[] Regular(Point2d c, double r, int sides, double rot) =>
        Enumerable.Range(0, sides).Select(i => At(c, r, rot + i * 2 * Math.PI / sides)).ToArray();

    private static Point[] Star(Point2d c, double outer, double inner, int points, double rot) =>
        Enumerable.Range(0, points * 2).Select(i => At(c, i % 2 == 0 ? outer : inner, rot + i * Math.PI / points)).ToArray();

    private static Point[] Rect(Point2d c, double halfW, double halfH, double rot)
    {
        var corners = new[] { (-halfW, -halfH), (halfW, -halfH), (halfW, halfH), (-halfW, halfH) };
        return corners.Select(p => new Point(c.X + p.Item1 * Math.Cos(rot) - p.Item2 * Math.Sin(rot),
            c.Y + p.Item1 * Math.Sin(rot) + p.Item2 * Math.Cos(rot))).ToArray();
    }

    private static Point At(Point2d c, double r, double angle) => new(c.X + r * Math.Cos(angle), c.Y + r * Math.Sin(angle));
    private static double Jitter(double v, Random rng) => Math.Clamp(v + rng.Next(-60, 61), 0, 255);
    private static Scalar RandomColor(Random rng) => new(rng.Next(256), rng.Next(256), rng.Next(256));
    private static double Distance(Scalar a, Scalar b) => Math.Sqrt(Math.Pow(a.Val0 - b.Val0, 2) + Math.Pow(a.Val1 - b.Val1,
        2) + Math.Pow(a.Val2 - b.Val2, 2));

    private static void Save(Mat img, string path)
    {
        using (img) Cv2.ImWrite(path, img);
    }
}
