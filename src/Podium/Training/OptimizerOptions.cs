using System.Text.RegularExpressions;
using Podium.Config;

namespace Podium.Training;

/// <summary>
/// An optimizer's options (<c>train.optimizer</c>): registered with <see cref="ComponentAttribute"/>, they hold its parameters,
/// defaults and rules and build it over parameter groups. Every optimizer has these: the groups come from them.
/// </summary>
public abstract record OptimizerOptions : ComponentOptions
{
    [Positive] public double Lr { get; init; } = 1e-3;
    [NonNegative] public double WeightDecay { get; init; } = 0.01;

    /// <summary>false: biases and normalisation weights (every 1-D parameter) get no weight decay, as timm does.</summary>
    public bool DecayNormAndBias { get; init; } = true;

    /// <summary>The backbone's lr is lr × this (discriminative learning rates for fine-tuning); the head keeps lr.</summary>
    [Within(0, 100)] public double BackboneLrScale { get; init; } = 1;

    /// <summary>A regex on parameter names for the head (default: the task's, e.g. fc. for ResNets).</summary>
    public string? Head { get; init; }

    public override void Validate()
    {
        if (Head is null) return;
        try { _ = new Regex(Head, RegexOptions.CultureInvariant); }
        catch (ArgumentException e) { throw new ConfigException($"head: not a regular expression ({e.Message})"); }
    }

    public abstract Optimizer Build(IReadOnlyList<ParameterGroup> groups);
}
