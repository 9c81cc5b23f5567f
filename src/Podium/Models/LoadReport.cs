namespace Podium.Models;

/// <summary>What loading pretrained weights did: how many tensors it copied and what it could not match.</summary>
public sealed record LoadReport(int Loaded, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Mismatched)
{
    public string Summary() =>
        $"loaded {Loaded} tensors; {Missing.Count} missing{List(Missing)}, {Unexpected.Count} unexpected{List(Unexpected)}, " +
            $"{Mismatched.Count} with another shape{List(Mismatched)}";

    /// <summary>The model tensors that kept their fresh weights (missing from the file or of another shape) outside the head
    /// (parameter names matching <paramref name="headPattern"/>); BatchNorm's num_batches_tracked counters do not count, as
    /// PyTorch's own strict load lets them be missing.</summary>
    public IReadOnlyList<string> Unfit(string headPattern)
    {
        var head = new System.Text.RegularExpressions.Regex(headPattern);
        return Missing.Concat(Mismatched.Select(m => m.Split(' ')[0]))
            .Where(n => !head.IsMatch(n) && !n.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
    }

    private static string List(IReadOnlyList<string> keys) => keys.Count == 0
        ? "" : $" ({string.Join(", ", keys.Take(4))}{(keys.Count > 4 ? ", ..." : "")})";
}
