using Podium.Evaluation;

namespace Podium.Tasks.Recognition;

/// <summary>A recognition run's best checkpoint on its validation lines, read greedily and by beam search from the same network
/// pass, and the milliseconds per line of the network and of each decoder.</summary>
public sealed record RecognitionOutcome(TextRecognitionScore Greedy, TextRecognitionScore Beam, int BeamWidth, double NetworkMs,
    double GreedyMs, double BeamMs) : TaskOutcome
{
    public override IReadOnlyDictionary<string, double> Figures => new Dictionary<string, double>
    {
        ["cer"] = Greedy.CharacterErrorRate,
        ["line_accuracy"] = Greedy.LineAccuracy,
        ["word_f1"] = Greedy.WordF1,
        ["ncer"] = Greedy.NormalizedCharacterErrorRate,
        ["beam_cer"] = Beam.CharacterErrorRate,
        ["network_ms"] = NetworkMs,
        ["greedy_ms"] = GreedyMs,
        ["beam_ms"] = BeamMs,
    };
}
