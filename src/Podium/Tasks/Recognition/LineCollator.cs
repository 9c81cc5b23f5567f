using OpenCvSharp;
using Podium.Augment;
using Podium.Data;
using Podium.Ocr;

namespace Podium.Tasks.Recognition;

/// <summary>Makes <see cref="LineBatch"/>es: each line with a random part of its page context (lines read with it), through the
/// augmentation transforms, then resized to the height keeping its aspect (at most the batch's width) and scaled to −1..1 as
/// recognisers read (<see cref="LineImages"/>), with its labels.</summary>
public sealed class LineCollator(LineDataset lines, CharacterSet characters) : ICollator<LineBatch>
{
    public LineBatch Create(int[] indices, int channels, int height, int width, Func<int, float[]> buffer)
    {
        var pixels = buffer(indices.Length * channels * height * width);
        Array.Clear(pixels); // pooled buffers hold an older batch; the padding must be zero
        return new LineBatch(pixels, indices, channels, height, width);
    }

    public void Add(LineBatch batch, int i, ImageDataset data, int index, Mat image, Pipeline pipeline, Random rng)
    {
        using var target = new AugmentTarget(Loosen(image, lines.Margin(index), rng));
        pipeline.Transforms.Apply(target, rng);
        var line = target.Image;
        int w = LineImages.Width(line.Width, line.Height, batch.Height, batch.Width);
        int plane = batch.Channels * batch.Height * batch.Width;
        LineImages.Write(line, batch.Height, w, bgr: false, batch.Pixels.AsSpan(i * plane, plane), batch.Width);
        batch.Widths[i] = w;
        batch.Labels[i] = characters.Encode(lines.Text(index), new Dictionary<string, int>());
    }

    /// <summary>The line with a random part of its page context: 0 to <paramref name="margin"/> pixels on each side, drawn apart, as
    /// a detector's boxes are looser than the truth's by varying amounts.</summary>
    internal static Mat Loosen(Mat image, int margin, Random rng)
    {
        if (margin == 0) return image;
        int left = rng.Next(margin + 1), right = rng.Next(margin + 1), top = rng.Next(margin + 1), bottom = rng.Next(margin + 1);
        using (image)
        using (var part = new Mat(image, new Rect(margin - left, margin - top, image.Width - 2 * margin + left + right,
            image.Height - 2 * margin + top + bottom))) return part.Clone();
    }
}
