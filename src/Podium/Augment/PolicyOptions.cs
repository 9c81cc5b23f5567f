namespace Podium.Augment;

/// <summary>The magnitude scale RandAugment and TrivialAugmentWide share.</summary>
public abstract record PolicyOptions : RandomOptions
{
    public int NumMagnitudeBins { get; init; } = 31;

    public override void Validate()
    {
        if (NumMagnitudeBins < 2) throw new ConfigException($"num_magnitude_bins must be at least 2, got {NumMagnitudeBins}");
    }
}
