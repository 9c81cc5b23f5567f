using TorchSharp.Modules;

namespace Podium.Training;

/// <summary>Parameters that share a learning-rate scale and a weight decay.</summary>
public sealed record ParameterGroup(string Name, IReadOnlyList<Parameter> Parameters, double LrScale, double WeightDecay);
