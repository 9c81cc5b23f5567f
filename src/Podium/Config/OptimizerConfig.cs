namespace Podium.Config;

public sealed record OptimizerConfig
{
    /// <summary>sgd | adam | adamw | radam | nadam | rmsprop | lion</summary>
    public string Name { get; init; } = "adamw";
    public double Lr { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; }
    /// <summary>AdamW betas.</summary>
    public double[] Betas { get; init; } = [0.9, 0.999];
    public double Eps { get; init; } = 1e-8;
    /// <summary>RMSprop: the squared-gradient average's smoothing constant.</summary>
    public double Alpha { get; init; } = 0.99;
    /// <summary>NAdam: momentum decay.</summary>
    public double MomentumDecay { get; init; } = 4e-3;
    /// <summary>false: biases and normalisation weights (every 1-D parameter) get no weight decay, as timm does.</summary>
    public bool DecayNormAndBias { get; init; } = true;
    /// <summary>The backbone's lr is lr × this (discriminative learning rates for fine-tuning); the head keeps lr.</summary>
    public double BackboneLrScale { get; init; } = 1.0;
    /// <summary>A regex on parameter names for the head (default: the model's classifier, e.g. fc. for ResNets).</summary>
    public string? Head { get; init; }
}
