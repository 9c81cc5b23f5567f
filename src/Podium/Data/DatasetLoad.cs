namespace Podium.Data;

/// <summary>A dataset as read, with every input that was left out.</summary>
public sealed record DatasetLoad(ImageDataset Dataset, IReadOnlyList<SkippedInput> Skipped)
{
    /// <summary>
    /// Applies the bad-input policy: "stop" refuses a dataset with any bad input; "skip" keeps
    /// going. Either way the caller learns what was left out: nothing disappears silently.
    /// </summary>
    public ImageDataset Enforce(string policy)
    {
        if (Skipped.Count > 0 && policy == "stop")
        {
            var first = Skipped[0];
            var more = Skipped.Count > 1 ? $" (and {Skipped.Count - 1} more bad inputs)" : "";
            throw new PodiumException($"{first.Where}: {first.Problem}{more}; set data.on_bad_input: skip to leave them out");
        }
        return Dataset;
    }

    public string SkipSummary() => SkippedInput.Summarize(Skipped);
}
