using System.Text.Json.Nodes;
using Podium.Tracking;

namespace Podium.Tuning;

/// <summary>
/// Asynchronous successive halving (ASHA), as Optuna's SuccessiveHalvingPruner: rung k ends at epoch
/// <see cref="MinResource"/> × η^(<see cref="MinEarlyStoppingRate"/> + k); a trial reaching a rung records its value there
/// (system attribute completed_rung_k) and goes on only if it is in the top 1/η of every value recorded at that rung so far
/// (the first trials to arrive: the best so far). No waiting for a full rung, so workers never idle.
/// </summary>
public sealed record SuccessiveHalvingPruner(int MinResource = 1, int ReductionFactor = 3, int MinEarlyStoppingRate = 0) : IPruner
{
    public bool Prune(IReadOnlyList<StudyTrial> trials, StudyTrial trial, bool maximize, Action<string, JsonNode> mark)
    {
        if (trial.Intermediate.Count == 0) return false;
        var step = trial.Intermediate.Keys.Max();
        var value = trial.Intermediate[step];
        var rung = 0;
        while (trial.Attribute(Key(rung)) is not null) rung++;
        while (true)
        {
            if (step < MinResource * Math.Pow(ReductionFactor, MinEarlyStoppingRate + rung)) return false;
            if (double.IsNaN(value)) return true;
            mark(Key(rung), JsonValue.Create(value));
            List<double> competing = [.. trials.Where(t => t.Id != trial.Id && t.Attribute(Key(rung)) is not null)
                .Select(t => t.Attribute(Key(rung))!.GetValue<double>()), value];
            competing.Sort();
            var promotable = Math.Max(competing.Count / ReductionFactor - 1, 0);
            if (maximize ? value < competing[^(promotable + 1)] : value > competing[promotable]) return true;
            rung++;
        }
    }

    private static string Key(int rung) => $"completed_rung_{rung}";
}
