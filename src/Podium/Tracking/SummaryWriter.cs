using System.Text.Json;
using Podium.IO;
using Podium.Training;

namespace Podium.Tracking;

/// <summary>summary.json: the best epoch and its metrics, totals, the environment, after every epoch and at the end.</summary>
public sealed class SummaryWriter(RunDirectory run, IReadOnlyDictionary<string, object> facts) : ITrainerCallback
{
    private readonly DateTime _start = DateTime.UtcNow;

    public static JsonSerializerOptions Json => JsonFiles.Options;

    public void OnEpochEnd(TrainerState state, EpochRecord epoch) => Write(state, finished: false);
    public void OnFitEnd(TrainerState state) => Write(state, finished: true);

    private void Write(TrainerState state, bool finished)
    {
        var summary = new Dictionary<string, object?>
        {
            ["finished"] = finished,
            ["epochs_done"] = state.History.Count,
            ["monitor"] = state.Monitor,
            ["best_epoch"] = state.BestEpoch,
            ["best"] = state.BestRecord,
            ["last"] = state.History.LastOrDefault(),
            ["total_seconds"] = Math.Round((DateTime.UtcNow - _start).TotalSeconds, 2),
            ["mean_epoch_seconds"] = state.History.Count == 0 ? 0 : Math.Round(state.History.Average(h => h.Seconds), 2),
            ["classes"] = state.Classes,
            ["parameters"] = state.Model.parameters().Sum(p => p.numel()),
            // How often .NET's GC ran (gen 0, 1, 2) in this process: large per-batch arrays show up as gen-2 collections.
            ["gc_collections"] = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) },
        };
        foreach (var (k, v) in facts) summary[k] = v;
        AtomicFile.WriteAllText(run.Summary, JsonSerializer.Serialize(summary, Json));
    }
}
