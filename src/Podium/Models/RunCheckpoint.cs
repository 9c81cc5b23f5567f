using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Models;

/// <summary>
/// A Podium run as model.pretrained: its folder (checkpoints/best.pt, else last.pt) or one of those checkpoints, read as the state
/// dict TorchSharp wrote (a count, then each tensor's name and data) without rebuilding the run's model, so a pretraining run's
/// backbone or another task's network starts a classifier.
/// </summary>
public static class RunCheckpoint
{
    /// <summary>The checkpoint <paramref name="spec"/> names when it is a run folder or a checkpoint inside one; else null.</summary>
    public static string? Locate(string spec)
    {
        if (Directory.Exists(spec))
        {
            var folder = Path.Combine(spec, "checkpoints");
            foreach (var name in new[] { "best.pt", "last.pt" })
                if (File.Exists(Path.Combine(folder, name))) return Path.Combine(folder, name);
            throw new PodiumException($"{spec}: a folder but no run with a checkpoint (checkpoints/best.pt or last.pt); did its training " +
                "finish an epoch?");
        }
        var parent = Path.GetDirectoryName(Path.GetFullPath(spec));
        return File.Exists(spec) && Path.GetFileName(parent) == "checkpoints"
            && File.Exists(Path.Combine(Path.GetDirectoryName(parent)!, "config.yaml")) ? spec : null;
    }

    /// <summary>Every tensor of a TorchSharp checkpoint by name (one line when the file is not one).</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            long count = reader.Read7BitEncodedInt64(); // TorchSharp writes it as unsigned LEB128, the same encoding
            for (long i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                Tensor? tensor = null;
                TensorExtensionMethods.Load(ref tensor, reader);
                result[Pretrained.Normalize(name)] = tensor!;
            }
            if (stream.Position != stream.Length)
                throw new InvalidDataException($"{stream.Length - stream.Position} bytes after the tensors");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or EndOfStreamException
            or NotImplementedException)
        {
            foreach (var t in result.Values) t.Dispose();
            throw new PodiumException($"{path}: not a Podium checkpoint ({e.Message.Split('\n')[0]})");
        }
        return result;
    }
}
