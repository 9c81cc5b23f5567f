namespace Podium.Eda;

public sealed record ClassCount(string Name, int Count, double Share);
