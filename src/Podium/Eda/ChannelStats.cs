namespace Podium.Eda;

public sealed record ChannelStats(double[] Mean, double[] Std);
