namespace Podium.Training;

/// <summary>The moment decay rates (β1, β2) the Adam family and Lion share.</summary>
public abstract record AdamFamilyOptions : OptimizerOptions
{
    public IReadOnlyList<double> Betas { get; init; } = [0.9, 0.999];

    protected double Beta1 => Betas[0];
    protected double Beta2 => Betas[1];

    public override void Validate()
    {
        base.Validate();
        if (Betas.Count != 2 || Betas.Any(b => b is < 0 or >= 1))
            throw new ConfigException($"betas must be two values in [0, 1), got [{string.Join(", ", Betas)}]");
    }
}
