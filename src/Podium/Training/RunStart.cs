namespace Podium.Training;

/// <summary>What a logger learns when a run starts: its name and folder, its length, what each step and epoch will carry, and
/// where it runs (versions, device, threads).</summary>
public sealed record RunStart(string Name, string Folder, int Epochs, int StepsPerEpoch, int ResumedAfterEpoch,
    IReadOnlyList<string> LossParts, IReadOnlyList<MetricSpec> Metrics, string Monitor,
    IReadOnlyDictionary<string, object>? Environment = null);
