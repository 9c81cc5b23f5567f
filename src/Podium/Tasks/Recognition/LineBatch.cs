using Podium.Data;

namespace Podium.Tasks.Recognition;

/// <summary>Text lines at one height, each resized keeping its aspect and laid left-aligned in rows as wide as the widest line
/// allowed (zero beyond each line), with their labels for CTC.</summary>
public sealed class LineBatch(float[] pixels, int[] indices, int channels, int height, int width)
    : ImageBatch(pixels, indices, channels, height, width)
{
    /// <summary>Each line's width in pixels at the batch's height.</summary>
    public int[] Widths { get; } = new int[indices.Length];

    /// <summary>Each line's labels (characters from 1; 0 is the blank).</summary>
    public int[][] Labels { get; } = new int[indices.Length][];

    /// <summary>The columns the network reads: the widest line's, rounded up as <see cref="Ocr.LineImages.PaddedWidth"/> does.</summary>
    public int UsedWidth => Ocr.LineImages.PaddedWidth(Widths.Max(), 0, Width);
}
