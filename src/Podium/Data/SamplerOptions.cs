using Podium.Config;

namespace Podium.Data;

/// <summary>
/// How training batches are drawn (<c>train.sampler</c>), the first remedy for class imbalance: a sampler's options, registered
/// with <see cref="ComponentAttribute"/>, hold its parameters and build it.
/// </summary>
public abstract record SamplerOptions : ComponentOptions
{
    public abstract IEpochSampler Build(IReadOnlyList<int> labels, int batchSize, int seed);
}
