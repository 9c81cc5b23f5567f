namespace Podium.Augment;

/// <summary>
/// When geometry leaves the image, as albumentations' BboxParams: boxes and polygons are clipped
/// to it and dropped if their area falls below <see cref="MinArea"/> pixels or below
/// <see cref="MinVisibility"/> of their area before clipping; keypoints outside are dropped.
/// </summary>
public sealed record TargetRules(double MinArea = 1, double MinVisibility = 0);
