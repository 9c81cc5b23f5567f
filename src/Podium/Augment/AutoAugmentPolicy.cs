namespace Podium.Augment;

/// <summary>AutoAugment's learned policies (torchvision's AutoAugmentPolicy); ImageNet's is the one here.</summary>
public enum AutoAugmentPolicy
{
    Imagenet,
}
