namespace Podium.Augment;

/// <summary>
/// One augmentation or preprocessing step. It applies the same random parameters to every target
/// of an <see cref="AugmentTarget"/>. Randomness comes only from <paramref name="rng"/>, which the
/// loader seeds per sample and epoch, so results do not depend on which thread runs it.
/// </summary>
public interface ITransform
{
    void Apply(AugmentTarget target, Random rng);
}
