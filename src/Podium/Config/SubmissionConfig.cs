namespace Podium.Config;

public sealed record SubmissionConfig
{
    public string IdColumn { get; init; } = "id";
    public string LabelColumn { get; init; } = "label";
    /// <summary>How ids are written: stem (file name without extension), filename, or path (relative to the input).</summary>
    public string IdStyle { get; init; } = "stem";
}
