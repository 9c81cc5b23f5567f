namespace Podium.Tuning;

/// <summary>Chooses a trial's parameter values (stored form: numbers, choice indexes) from the study's trials so far.</summary>
public interface ISampler
{
    /// <summary>Values for the parameters active in this trial (a conditional parameter whose condition fails is absent); null
    /// when the sampler has nothing left to try (a grid whose every point was tried).</summary>
    IReadOnlyDictionary<string, double>? Suggest(SearchSpace space, IReadOnlyList<Tracking.StudyTrial> trials, int number);
}
