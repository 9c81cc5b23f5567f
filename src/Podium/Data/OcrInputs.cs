namespace Podium.Data;

/// <summary>The images an OCR command reads: one file, or every image in a folder; unreadable ones are skipped with the reason.</summary>
public static class OcrInputs
{
    public static (List<string> Images, List<SkippedInput> Skipped) Images(string input)
    {
        var skipped = new List<SkippedInput>();
        IEnumerable<string> candidates = File.Exists(input) ? [input]
            : Directory.Exists(input) ? Directory.GetFiles(input).Where(f
                => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
            : throw new PodiumException($"{input}: no such file or folder");
        var images = new List<string>();
        foreach (var f in candidates)
        {
            var problem = ImageDecoder.Problem(f);
            if (problem is null) images.Add(f);
            else skipped.Add(new SkippedInput(f, problem));
        }
        if (images.Count == 0) throw new PodiumException($"{input}: no readable images ({skipped.Count} " +
            $"skipped{(skipped.Count > 0 ? ": " + skipped[0].Problem : "")})");
        return (images, skipped);
    }
}
