using System.Globalization;

namespace Podium.Ocr;

/// <summary>
/// The characters a recogniser reads: label 0 is CTC's blank, label i the i-th character. Built from the training
/// transcriptions (every character they hold, in ordinal order) or read from a file of one character per line (PaddleOCR's
/// keys files; a line holding one space is the space; a character listed twice keeps both labels, as PaddleOCR's loader does,
/// and is written with the first). Characters are Unicode text elements, so a letter with its combining
/// accent is one label. What a transcription holds outside the set is counted, never dropped unseen.
/// </summary>
public sealed class CharacterSet
{
    private readonly Dictionary<string, int> labels;

    private CharacterSet(IReadOnlyList<string> characters)
    {
        Characters = characters;
        labels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < characters.Count; i++) labels.TryAdd(characters[i], i + 1);
    }

    /// <summary>The characters by label − 1.</summary>
    public IReadOnlyList<string> Characters { get; }

    /// <summary>Classes a recogniser's output needs: the blank and one per character.</summary>
    public int Classes => Characters.Count + 1;

    public static CharacterSet FromTexts(IEnumerable<string> texts) =>
        new([.. texts.SelectMany(Elements).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);

    /// <summary>A keys file; <paramref name="space"/> appends the space when the file lacks it (PaddleOCR's
    /// use_space_char).</summary>
    public static CharacterSet Load(string path, bool space = false)
    {
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
            if (Elements(lines[i]).Count() != 1)
                throw new PodiumException($"{path}: line {i + 1} holds {(lines[i].Length == 0 ? "nothing" : $"'{lines[i]}'")}, " +
                    "not one character");
        return new CharacterSet(space && !lines.Contains(" ") ? [.. lines, " "] : lines);
    }

    /// <summary>The labels of a transcription; characters outside the set are left out and counted in
    /// <paramref name="unknown"/>.</summary>
    public int[] Encode(string text, IDictionary<string, int> unknown)
    {
        var result = new List<int>();
        foreach (var e in Elements(text))
            if (labels.TryGetValue(e, out var label)) result.Add(label);
            else unknown[e] = unknown.TryGetValue(e, out var n) ? n + 1 : 1;
        return [.. result];
    }

    public string Decode(IEnumerable<int> labels) => string.Concat(labels.Select(l => Characters[l - 1]));

    private static IEnumerable<string> Elements(string text)
    {
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext()) yield return e.GetTextElement();
    }
}
