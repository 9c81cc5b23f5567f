using YamlDotNet.Serialization;

namespace Podium.Config;

// The typed form of a run's YAML config. Key names are the snake_case of the property names
// (YamlDotNet's underscored convention); unknown keys are an error, defaults complete the recipe.
// Every section is an immutable record: a changed config is a new one (`with`), made by one resolve step
// (Runs.ConfigResolver) before a run uses it and saves it; nothing edits a config after that.

public sealed record PodiumConfig
{
    /// <summary>classification | multi_label | text_detection | text_recognition | self_supervised | anomaly; when left out, settled
    /// from the config (an ocr, rec, ssl or anomaly section, data.multi_label).</summary>
    public string? Task { get; init; }
    public int Seed { get; init; }
    /// <summary>Run name: the run directory is runs/&lt;name&gt; unless --out says otherwise.</summary>
    public string? Name { get; init; }
    /// <summary>auto | cpu | cuda</summary>
    public string Device { get; init; } = "auto";
    /// <summary>A run that repeats bit for bit: CPU only (a fixed thread count and the seeded loader; CUDA's kernels cannot be pinned from
    /// TorchSharp).</summary>
    public bool Deterministic { get; init; }
    public DataConfig Data { get; init; } = new();
    public ModelConfig Model { get; init; } = new();
    public TrainConfig Train { get; init; } = new();
    public AugmentConfig Augment { get; init; } = new();
    public SubmissionConfig Submission { get; init; } = new();
    public TrackingConfig Tracking { get; init; } = new();
    /// <summary>Text detection (DBNet), for podium ocr train: model.name is then the backbone. Null for classification.</summary>
    public OcrConfig? Ocr { get; init; }
    /// <summary>Text recognition (a CTC line reader), for podium ocr train: model.name is then a recogniser. Null otherwise.</summary>
    public RecognitionConfig? Rec { get; init; }
    /// <summary>Self-supervised pretraining (podium pretrain): the method and its head. Null otherwise.</summary>
    public SslConfig? Ssl { get; init; }
    /// <summary>Anomaly detection (podium anomaly train): the method and how the threshold is chosen. Null otherwise.</summary>
    public AnomalyConfig? Anomaly { get; init; }

    /// <summary>The <c>--set</c> assignments the config was read with (not saved), so checks made after reading, such as a
    /// component's options at resolve, name the override rather than the file.</summary>
    [YamlIgnore] public IReadOnlyList<string> Overrides { get; init; } = [];
}
