using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Real JPEG re-encoding at a quality uniform in the range (the artefacts of a compressed upload).</summary>
public sealed class ImageCompression(int qualityLo = 80, int qualityHi = 100, double p = 0.5) : RandomTransform(p)
{
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
