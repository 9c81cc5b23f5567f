namespace Podium.Eda;

/// <param name="ConflictingLabels">Pairs whose two images carry different labels: label noise, or a class boundary no model can
/// learn.</param>
public sealed record DuplicateStats(int ExactPairs, int NearPairs, int Groups, int RedundantImages, int ConflictingLabels,
    List<PairEntry> Pairs);
