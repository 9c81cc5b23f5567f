using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Shift, scale and rotation limits written as albumentations' ShiftScaleRotate: the shear-free <see cref="Affine"/>.</summary>
[Transform("shift_scale_rotate")]
public sealed class ShiftScaleRotate(ShiftScaleRotate.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        /// <summary>Shift up to this fraction of the size each way.</summary>
        public double ShiftLimit { get; init; } = 0.0625;

        /// <summary>Scale in [1 - limit, 1 + limit].</summary>
        public double ScaleLimit { get; init; } = 0.1;

        public double RotateLimit { get; init; } = 45;
        public BorderMode BorderMode { get; init; } = BorderMode.Constant;
        public double Value { get; init; }

        public override void Validate()
        {
            if (ScaleLimit is < 0 or >= 1) throw new ConfigException($"scale_limit must be in [0, 1), got {ScaleLimit}");
        }
    }

    private readonly Interval scale = new(1 - o.ScaleLimit, 1 + o.ScaleLimit), shift = new(-o.ShiftLimit, o.ShiftLimit);
    private readonly Interval rotate = new(-o.RotateLimit, o.RotateLimit);
    private readonly BorderTypes border = o.BorderMode.ToCv();

    public ShiftScaleRotate() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) => Affine.Transform(t, rng, scale, shift, rotate, new(0, 0), border, o.Value);
}
