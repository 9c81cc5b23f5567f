namespace Podium.Training;

/// <summary>A part of training whose resume state is tensors (the optimizer's moments, an EMA's shadow weights), saved as its own
/// file.</summary>
public interface IBinaryResumable
{
    /// <summary>The file's name in a resume set (e.g. optimizer.bin).</summary>
    string ResumeFile { get; }
    void Save(BinaryWriter writer);
    /// <param name="source">The file read, for messages.</param>
    void Load(BinaryReader reader, string source);
}
