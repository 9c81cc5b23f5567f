namespace Podium.Config;

/// <summary>An output size. In YAML it is one number (a square) or <c>[height, width]</c>.</summary>
public readonly record struct HeightWidth(int Height, int Width)
{
    public static HeightWidth Square(int side) => new(side, side);

    public override string ToString() => $"[{Height}, {Width}]";
}
