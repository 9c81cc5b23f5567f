namespace Podium.Tasks;

/// <summary>What a task's final evaluation found, for the command that trained it to print (each task has its own kind).</summary>
public abstract record TaskOutcome
{
    /// <summary>The final figures by name (what a run store keeps as the run's results).</summary>
    public abstract IReadOnlyDictionary<string, double> Figures { get; }
}
