namespace Podium.Models;

/// <summary>What loading pretrained weights did: how many tensors it copied and what it could not match.</summary>
public sealed record LoadReport(int Loaded, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Mismatched)
{
    public string Summary() =>
        $"loaded {Loaded} tensors; {Missing.Count} missing{List(Missing)}, {Unexpected.Count} unexpected{List(Unexpected)}, " +
            $"{Mismatched.Count} with another shape{List(Mismatched)}";

    private static string List(IReadOnlyList<string> keys) => keys.Count == 0
        ? "" : $" ({string.Join(", ", keys.Take(4))}{(keys.Count > 4 ? ", ..." : "")})";
}
