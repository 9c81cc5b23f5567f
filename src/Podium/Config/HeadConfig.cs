namespace Podium.Config;

public sealed record HeadConfig
{
    /// <summary>linear | msd (multi-sample dropout) | cosine (embedding + normalised class centres, for arcface/cosface losses)</summary>
    public string Type { get; init; } = "linear";
    /// <summary>linear, msd: dropout probability before the linear layer (msd default 0.5).</summary>
    public double Dropout { get; init; }
    /// <summary>msd: dropout masks averaged per step.</summary>
    public int Samples { get; init; } = 5;
    /// <summary>cosine: embedding width.</summary>
    public int Embedding { get; init; } = 512;
    /// <summary>cosine: logits are scale · cos θ (ArcFace's s).</summary>
    public double Scale { get; init; } = 30;
}
