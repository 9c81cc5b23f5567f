namespace Podium.Eda;

public sealed record ProblemEntry(string Path, string Problem);
