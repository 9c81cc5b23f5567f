// Single-thread images/second of each transform in bench/transforms/cases.txt, on hymenoptera photos
// resized to 256x256 and on SROIE receipts at their size. Prints "name<TAB>dataset<TAB>images/s".
//   dotnet run -c Release --project bench/TransformBench [-- SECONDS_PER_CASE]
using System.Diagnostics;
using OpenCvSharp;
using Podium.Augment;
using Podium.Config;
using Podium.Data;

double seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1.0;
string? only = args.Length > 1 ? args[1] : null; // a case name to run alone
var root = AppContext.BaseDirectory;
while (!File.Exists(Path.Combine(root, "Podium.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
var datasets = Path.Combine(root, "..", "shared", "datasets");
Podium.Platform.OpenCvRuntime.Configure();
Console.Error.WriteLine($"OpenCV {Cv2.GetVersionString()}, IPP " +
    $"{(Podium.Platform.OpenCvRuntime.IppDisabled ? "off (not an Intel CPU)" : "as built")}");
Cv2.SetNumThreads(1); // single thread, as OpenCV-Python with cv2.setNumThreads(1)

var photos = Directory.GetFiles(Path.Combine(datasets, "hymenoptera", "train"), "*.jp*g",
    SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(64)
    .Select(p =>
    {
        using var m = ImageDecoder.Read(p, 3); var r = new Mat(); Cv2.Resize(m, r, new Size(256, 256), 0, 0,
        InterpolationFlags.Area); return r;
    }).ToArray();
var receipts = Directory.GetFiles(Path.Combine(datasets, "sroie", "img"), "*.jpg").Order(StringComparer.Ordinal).Take(8)
    .Select(p => ImageDecoder.Read(p, 3)).ToArray();

foreach (var line in File.ReadLines(Path.Combine(root, "bench", "transforms", "cases.txt")))
{
    if (line.StartsWith('#') || line.Trim().Length == 0) continue;
    var parts = line.Split('\t');
    if (only is not null && parts[0] != only) continue;
    Action<Mat> one;
    if (parts[0] == "normalize")
    {
        // The last step of every pipeline: pixels into the float CHW batch buffer.
        var normalize = new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
        float[] buffer = [];
        one = src =>
        {
            int n = src.Width * src.Height * src.Channels();
            if (buffer.Length < n) buffer = new float[n];
            normalize.WriteChw(src, buffer.AsSpan(0, n));
        };
    }
    else
    {
        var config = ConfigLoader.Parse($"data: {{train: x}}\naugment:\n  train:\n    - {parts[1]}\n", "cases.txt");
        var transform = ((Compose)Podium.Augment.Pipelines.Build(config, config.Augment.Train,
            "augment.train").Transforms).Transforms.Single();
        var rng = new Random(0);
        one = src =>
        {
            using var t = new AugmentTarget(src.Clone());
            transform.Apply(t, rng);
        };
    }
    foreach (var (name, images) in new[] { ("hymenoptera-256", photos), ("sroie", receipts) })
    {
        void One(Mat src) => one(src);
        foreach (var img in images.Take(4)) One(img); // warm-up
        long n = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds) One(images[n++ % images.Length]);
        Console.WriteLine($"{parts[0]}\t{name}\t{n / clock.Elapsed.TotalSeconds:F1}");
    }
}

