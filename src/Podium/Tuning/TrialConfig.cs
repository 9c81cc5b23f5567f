using System.Globalization;
using Podium.Config;
using Podium.Tracking;

namespace Podium.Tuning;

/// <summary>A study trial's configuration, to train again (podium train --from-trial STUDY/N): a base config (the one given,
/// else the trial's own run's resolved config from the store) with the trial's parameters set, then the user's overrides
/// (e.g. more epochs, another fold).</summary>
public static class TrialConfig
{
    /// <param name="reference">STUDY/N, or STUDY/best for the study's best finished trial.</param>
    public static (PodiumConfig Config, StudyTrial Trial, IReadOnlyList<string> Overrides) Load(RunStore store, string reference,
        string? configPath, IReadOnlyList<string> overrides)
    {
        var slash = reference.LastIndexOf('/');
        if (slash <= 0 || slash == reference.Length - 1)
            throw new PodiumException($"--from-trial {reference}: expected STUDY/N (a trial number) or STUDY/best");
        var (name, which) = (reference[..slash], reference[(slash + 1)..]);
        var studies = StudyStore.Open(store);
        var id = studies.Find(name) ?? throw new PodiumException($"--from-trial {reference}: {store.Location} has no study named {name}");
        var trials = studies.Trials(id);
        StudyTrial trial;
        if (which == "best")
        {
            trial = StudyTrial.Best(trials, studies.Maximizes(id))
                ?? throw new PodiumException($"--from-trial {reference}: study {name} has no finished trial yet");
        }
        else if (int.TryParse(which, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            trial = trials.FirstOrDefault(t => t.Number == number) ?? throw new PodiumException($"--from-trial {reference}: study {name} " +
                $"has trials 0 to {trials.Count - 1}");
        else throw new PodiumException($"--from-trial {reference}: '{which}' is neither a trial number nor best");
        var parameters = studies.Distributions(id).ToDictionary(d => d.Name, d => SearchParameter.FromOptuna(d.Name, d.Distribution));
        List<string> all = [.. trial.Params.Select(p => $"{p.Key}={parameters[p.Key].Text(p.Value)}"), .. overrides];
        if (configPath is not null) return (ConfigLoader.Load(configPath, all), trial, all);
        var runId = trial.Attribute("podium:run_id")?.GetValue<string>() ?? throw new PodiumException($"--from-trial {reference}: the " +
            "trial has no run in the store (it was not trained by podium tune); give the base CONFIG");
        var yaml = store.Details(runId).Config ?? throw new PodiumException($"--from-trial {reference}: run {runId} has no config in " +
            "the store; give the base CONFIG");
        return (ConfigLoader.Parse(yaml, $"trial {trial.Number}'s run {runId}", all), trial, all);
    }
}
