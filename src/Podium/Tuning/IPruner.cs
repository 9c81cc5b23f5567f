using System.Text.Json.Nodes;
using Podium.Tracking;

namespace Podium.Tuning;

/// <summary>Decides, after an epoch, whether a trial stops: from the study's trials (the current one with what it reported so
/// far and its attributes). A pruner may leave marks on the trial (<paramref name="mark"/>: a system attribute).</summary>
public interface IPruner
{
    bool Prune(IReadOnlyList<StudyTrial> trials, StudyTrial trial, bool maximize, Action<string, JsonNode> mark);
}
