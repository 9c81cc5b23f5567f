namespace Podium.Augment;

/// <summary>An axis-aligned box, corners (X1, Y1) top-left and (X2, Y2) bottom-right, with a class label.</summary>
public readonly record struct Box(double X1, double Y1, double X2, double Y2, int Label = 0)
{
    public double Area => Math.Max(0, X2 - X1) * Math.Max(0, Y2 - Y1);
}
