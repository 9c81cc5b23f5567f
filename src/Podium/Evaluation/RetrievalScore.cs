using System.Text.Json.Nodes;
using Podium.IO;

namespace Podium.Evaluation;

/// <summary>Retrieval metrics of a set of labelled queries (<see cref="RetrievalMetrics"/>).</summary>
/// <param name="RecallAtK">Share of queries with a same-label image among their k nearest, by k.</param>
/// <param name="MapAtR">Mean average precision at R.</param>
/// <param name="Queries">Queries scored.</param>
/// <param name="NothingToFind">Queries left out: unlabelled, or no other gallery image carries their label.</param>
/// <param name="LeaveOneOut">The queries were the gallery, each left out of its own search.</param>
public sealed record RetrievalScore(IReadOnlyDictionary<int, double> RecallAtK, double MapAtR, int Queries, int NothingToFind,
    bool LeaveOneOut)
{
    /// <summary>retrieval.json: the metrics, and what the queries searched (the gallery's path, or leave-one-out).</summary>
    public void Write(string path, string gallery)
    {
        var json = new JsonObject
        {
            ["gallery"] = LeaveOneOut ? "leave-one-out" : gallery,
            ["queries"] = Queries,
            ["nothing_to_find"] = NothingToFind
        };
        foreach (var (k, recall) in RecallAtK.OrderBy(r => r.Key)) json[$"recall_at_{k}"] = JsonFiles.Finite(recall);
        json["map_at_r"] = JsonFiles.Finite(MapAtR);
        AtomicFile.WriteAllText(path, json.ToJsonString(JsonFiles.Options));
    }
}
