using System.Text.Json.Nodes;
using Podium.Training;

namespace Podium.Tracking;

/// <summary>The trainer's own counters at the end of an epoch, as saved for resuming.</summary>
public sealed record TrainerSnapshot(int Epoch, long Step, long Updates, double? BestValue, int BestEpoch, EpochRecord? BestRecord,
    List<EpochRecord> History, string? StopReason, Dictionary<string, JsonNode?> Parts);
