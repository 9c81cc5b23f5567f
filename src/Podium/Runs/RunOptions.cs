using Podium.Training;

namespace Podium.Runs;

/// <summary>How a training run is driven: where its messages and records go, and whether it replaces a folder's run.</summary>
public sealed record RunOptions
{
    /// <summary>One line at a time for the user (the library writes nothing to the console itself).</summary>
    public Action<string> Log { get; init; } = _ => { };
    /// <summary>Loggers beside the run folder's CSV files (console progress, an experiment store).</summary>
    public IReadOnlyList<IRunLogger> Loggers { get; init; } = [];
    /// <summary>More callbacks, after the pipeline's own.</summary>
    public IReadOnlyList<ITrainerCallback> Callbacks { get; init; } = [];
    /// <summary>Record the run in the run store its config names (tracking.*); off for library callers unless they ask, on in the
    /// CLI.</summary>
    public bool Tracking { get; init; }
    /// <summary>Replace a run already in the folder (its files are deleted first) instead of refusing.</summary>
    public bool Overwrite { get; init; }
}
