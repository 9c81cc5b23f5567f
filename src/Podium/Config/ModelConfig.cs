namespace Podium.Config;

public sealed record ModelConfig
{
    /// <summary>model.pretrained: hf-hub:ORG/NAME fetches weights from the Hugging Face hub (on request only).</summary>
    public const string HubPrefix = "hf-hub:";

    public string Name { get; init; } = "resnet18";
    /// <summary>Weights to start from: a PyTorch .pth/.pt state dict (torchvision/timm names) or a .safetensors file.</summary>
    public string? Pretrained { get; init; }
    /// <summary>The classification head; default: the backbone's own linear layer.</summary>
    public ComponentConfig? Head { get; init; }
    /// <summary>Stochastic depth: the drop rate of the deepest residual block, growing linearly from 0 (EfficientNet, ConvNeXt, ViT,
    /// CoAtNet).</summary>
    public double DropPath { get; init; }
    /// <summary>Dropout before the classifier of Podium's own backbones (default: EfficientNet's 0.2–0.3, others 0).</summary>
    public double? DropRate { get; init; }
    /// <summary>none (fine-tune everything) or backbone (feature extraction: only the head trains, until unfreeze says
    /// otherwise).</summary>
    public string Freeze { get; init; } = "none";
    /// <summary>Gradual unfreezing: from each entry's epoch on, parameters whose names match its pattern train too.</summary>
    public IReadOnlyList<UnfreezeStep> Unfreeze { get; init; } = [];
}
