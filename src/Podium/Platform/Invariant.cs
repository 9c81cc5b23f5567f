namespace Podium.Platform;

/// <summary><c>using static Podium.Platform.Invariant;</c> then <c>F($"{x:F3}")</c>: numbers in messages and files read the same
/// on every machine.</summary>
public static class Invariant
{
    public static string F(InvariantText text) => text.ToString();
}
