namespace Podium.Eda;

// The machine-readable result of `podium eda` (eda.json): plain records, snake_case in JSON.

public sealed record EdaSummary(
    string Data, string Kind, int Images, int Skipped, string? Test, int TestImages,
    List<ClassCount> Classes, double ImbalanceRatio,
    Distribution Width, Distribution Height, Distribution Aspect, Distribution FileKb,
    Dictionary<string, int> Channels, Dictionary<string, int> Formats,
    ChannelStats Normalize, List<ClassLook> PerClass,
    DuplicateStats Duplicates, DuplicateStats Leakage, List<ProblemEntry> Suspicious,
    TextStats? Text, double Seconds, int Threads);
