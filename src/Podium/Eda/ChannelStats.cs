using OpenCvSharp;
using Podium.Data;

namespace Podium.Eda;

public sealed record ChannelStats(double[] Mean, double[] Std);
