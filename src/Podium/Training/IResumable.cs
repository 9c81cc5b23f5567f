using System.Text.Json.Nodes;

namespace Podium.Training;

/// <summary>A part of training with state that a resumed run must get back (a plateau schedule, early stopping, the divergence
/// guard).</summary>
public interface IResumable
{
    JsonNode? SaveState();
    void LoadState(JsonNode? state);
}
