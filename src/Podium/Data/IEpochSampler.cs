namespace Podium.Data;

/// <summary>
/// Which samples an epoch visits, in which order. A pure function of (seed, epoch): nothing to
/// save for a resumed run, and the same for any number of loader threads.
/// </summary>
public interface IEpochSampler
{
    /// <summary>Samples per epoch (the length of every <see cref="Order"/>).</summary>
    int Length { get; }
    /// <summary>Indices into the dataset; may repeat (sampling with replacement).</summary>
    int[] Order(int epoch);
    string Describe();
}
