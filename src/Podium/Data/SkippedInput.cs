namespace Podium.Data;

/// <summary>An input left out of a dataset, and why.</summary>
public sealed record SkippedInput(string Where, string Problem)
{
    /// <summary>"2 truncated JPEG (...); 1 empty file (path)": counts by problem, naming the file where there is one.</summary>
    public static string Summarize(IEnumerable<SkippedInput> skipped) => string.Join("; ", skipped.GroupBy(s => s.Problem)
        .Select(g => $"{g.Count()} {g.Key}" + (g.Count() == 1 ? $" ({g.First().Where})" : "")));
}
