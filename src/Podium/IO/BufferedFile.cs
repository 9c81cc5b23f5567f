namespace Podium.IO;

/// <summary>Files written through a 1 MiB buffer: TorchSharp writes a tensor's bytes in small pieces, so a checkpoint saved
/// through the default 4 KiB buffer costs tens of thousands of system calls (about twice the time for a ResNet-18).</summary>
public static class BufferedFile
{
    public static BinaryWriter CreateWriter(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20));
}
