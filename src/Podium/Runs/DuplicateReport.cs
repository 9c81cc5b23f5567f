namespace Podium.Runs;

/// <summary>What <see cref="EmbeddingDuplicates"/> found: pairs at or above the threshold, the input images among them, and where
/// the table and the picture (null without pairs) are.</summary>
public sealed record DuplicateReport(int Pairs, int Images, double Threshold, string CsvPath, string? PngPath);
