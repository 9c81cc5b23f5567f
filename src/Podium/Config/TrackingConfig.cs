namespace Podium.Config;

/// <summary>Where a run is recorded besides its folder: the run store that <c>podium runs</c> lists and compares.</summary>
public sealed record TrackingConfig
{
    /// <summary>Record the run in the store (false: its folder only).</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>The store: a SQLite file (PATH or sqlite:PATH, relative to the working folder, as the default run folders are).
    /// Unset: the environment variable PODIUM_TRACKING_STORE, else runs/podium.db under the working folder.</summary>
    public string? Store { get; init; }
    /// <summary>TensorBoard event files in the run folder (tensorboard --logdir runs).</summary>
    public bool Tensorboard { get; init; } = true;
}
