namespace Podium.Ocr;

/// <summary>A line as read and the decoder's probability for it (the best path's for greedy decoding, the labelling's summed over
/// its alignments for beam search).</summary>
public sealed record LineReading(string Text, double Confidence);
