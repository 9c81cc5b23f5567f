namespace Podium.Eda;

public sealed record FileRef(string Path, string Set, string? Label);
