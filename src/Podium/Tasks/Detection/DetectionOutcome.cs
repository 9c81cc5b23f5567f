using Podium.Ocr;

namespace Podium.Tasks.Detection;

/// <summary>A detection run's best checkpoint on its validation images: the ICDAR 2015 scores, median network and
/// post-processing times per image, and the network's input size for the last image.</summary>
public sealed record DetectionOutcome(DetectionScore Validation, double NetworkMs, double PostProcessMs, int InputHeight,
    int InputWidth) : TaskOutcome
{
    public override IReadOnlyDictionary<string, double> Figures => new Dictionary<string, double>
    {
        ["hmean"] = Validation.Hmean,
        ["precision"] = Validation.Precision,
        ["recall"] = Validation.Recall,
        ["network_ms"] = NetworkMs,
        ["post_process_ms"] = PostProcessMs,
    };
}
