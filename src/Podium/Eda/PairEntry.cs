namespace Podium.Eda;

public sealed record PairEntry(FileRef A, FileRef B, bool Exact, int HashDistance, double Similarity, bool Recoloured);
