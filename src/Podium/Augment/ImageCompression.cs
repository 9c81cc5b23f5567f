using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Real JPEG re-encoding at a quality uniform in the range (the artefacts of a compressed upload).</summary>
[Transform("image_compression")]
public sealed class ImageCompression(ImageCompression.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Within(1, 100)] public Interval QualityRange { get; init; } = new(80, 100);
    }

    private readonly int qualityLo = (int)o.QualityRange.Lo, qualityHi = (int)o.QualityRange.Hi;

    public ImageCompression() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) => t.Replace(Apply(t.Image, rng.Next(qualityLo, qualityHi + 1)));

    public static Mat Apply(Mat img, int quality)
    {
        // libjpeg expects BGR: encode in that order so chroma subsampling treats colours as a camera would.
        using var bgr = new Mat();
        if (Pixels.IsColour(img)) Cv2.CvtColor(img, bgr, ColorConversionCodes.RGB2BGR); else img.CopyTo(bgr);
        Cv2.ImEncode(".jpg", bgr, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        var decoded = Cv2.ImDecode(bytes, Pixels.IsColour(img) ? ImreadModes.Color : ImreadModes.Grayscale);
        if (Pixels.IsColour(img)) Cv2.CvtColor(decoded, decoded, ColorConversionCodes.BGR2RGB);
        return decoded;
    }
}
