using OpenCvSharp;
using Podium.Augment;
using Podium.Data;
using Podium.Ocr;

namespace Podium.Tasks.Recognition;

/// <summary>Makes <see cref="LineBatch"/>es: each line through the augmentation transforms, then resized to the height keeping its
/// aspect (at most the batch's width) and scaled to −1..1 as recognisers read (<see cref="LineImages"/>), with its labels.</summary>
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
        using var target = new AugmentTarget(image);
        pipeline.Transforms.Apply(target, rng);
        var line = target.Image;
        int w = LineImages.Width(line.Width, line.Height, batch.Height, batch.Width);
        int plane = batch.Channels * batch.Height * batch.Width;
        LineImages.Write(line, batch.Height, w, bgr: false, batch.Pixels.AsSpan(i * plane, plane), batch.Width);
        batch.Widths[i] = w;
        batch.Labels[i] = characters.Encode(lines.Text(index), new Dictionary<string, int>());
    }
}
