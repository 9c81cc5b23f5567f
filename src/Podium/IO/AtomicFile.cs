namespace Podium.IO;

/// <summary>Writes that never leave a half-written file: write beside, then rename over.</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<string> writeTo)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            writeTo(temp);
            File.Move(temp, path, overwrite: true);
        }
        catch (IOException e)
        {
            // Named by the file meant, not the temporary one (a full disk says "No space left on device : '.x.123.tmp'").
            var reason = e.Message.Split(" : '")[0].TrimEnd('.');
            throw new PodiumException($"{path}: cannot write it ({reason})" + (File.Exists(path) ? "; the file there is unchanged" : ""));
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void WriteAllText(string path, string text) => Write(path, t => File.WriteAllText(t, text));

    /// <summary>An image (BGR, as OpenCV holds it) as a PNG file.</summary>
    public static void WritePng(string path, OpenCvSharp.Mat image) => WriteImage(path, image, ".png");

    /// <summary>An image (BGR) encoded by the format its extension names (or <paramref name="extension"/>).</summary>
    public static void WriteImage(string path, OpenCvSharp.Mat image, string? extension = null)
    {
        OpenCvSharp.Cv2.ImEncode(extension ?? Path.GetExtension(path), image, out var bytes);
        Write(path, t => File.WriteAllBytes(t, bytes));
    }
    public static void WriteAllLines(string path, IEnumerable<string> lines) => Write(path, t => File.WriteAllLines(t, lines));
}
