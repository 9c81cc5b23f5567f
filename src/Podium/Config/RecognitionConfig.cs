namespace Podium.Config;

/// <summary>Text recognition (a CTC line reader, podium ocr train with a rec section): the lines' input size, the character set
/// and validation's decoding.</summary>
public sealed record RecognitionConfig
{
    /// <summary>Line height in pixels the network reads (a multiple of 16); 0: the network's own (PP-OCRv4's recogniser 48, else
    /// 32).</summary>
    public int Height { get; init; }
    /// <summary>Lines are resized to the height keeping their aspect; wider ones are squeezed to this many pixels.</summary>
    public int MaxWidth { get; init; } = 800;
    /// <summary>data (every character of the training transcriptions), model (a named recogniser's own) or the path of a keys
    /// file (one character per line, PaddleOCR's format); left out: model for a named recogniser, else data.</summary>
    public string? Charset { get; init; }
    /// <summary>The characters in label order, settled from <see cref="Charset"/> when the run prepares its data (what the saved
    /// config keeps, so the run reads with the same labels).</summary>
    public string? Characters { get; init; }
    /// <summary>greedy (best class per step) | beam (CTC prefix beam search) for validation and reading.</summary>
    public string Decoder { get; init; } = "greedy";
    /// <summary>Prefixes the beam search keeps.</summary>
    public int BeamWidth { get; init; } = 8;
    /// <summary>Training lines cut from pages keep this much page around them, in line heights, and each read takes a random 0 to all
    /// of it on each side: a detector's boxes are looser than hand-drawn ones, and a recogniser that only saw tight lines misreads
    /// their smaller glyphs. 0: the tight line only. Validation reads tight lines.</summary>
    public double Context { get; init; }
    /// <summary>Batches hold lines of similar width (less padding to compute), in a seeded order.</summary>
    public bool Bucket { get; init; } = true;
}
