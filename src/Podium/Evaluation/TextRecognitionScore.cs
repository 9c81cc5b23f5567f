namespace Podium.Evaluation;

/// <summary>
/// How well lines were read, over a set of (transcription, reading) pairs: line accuracy (readings equal to their
/// transcription), the character error rate (Levenshtein edits over the transcriptions' characters; normalised: case folded
/// and white space removed on both sides first), and SROIE Task 2's word scores (each side split at white space; a read word
/// matches at most one equal transcribed word, so a repeated word must be read as often as it is written; precision, recall and
/// F1 over all words, not averaged per line).
/// </summary>
public sealed record TextRecognitionScore(int Lines, double LineAccuracy, double CharacterErrorRate, double NormalizedCharacterErrorRate,
    double WordPrecision, double WordRecall, double WordF1)
{
    public static TextRecognitionScore Of(IEnumerable<(string Truth, string Read)> pairs)
    {
        int lines = 0, exact = 0, truthWords = 0, readWords = 0, matched = 0;
        long edits = 0, characters = 0, normalizedEdits = 0, normalizedCharacters = 0;
        foreach (var (truth, read) in pairs)
        {
            lines++;
            if (truth == read) exact++;
            edits += Platform.EditDistance.Levenshtein(truth, read);
            characters += truth.Length;
            var (t, r) = (Normalized(truth), Normalized(read));
            normalizedEdits += Platform.EditDistance.Levenshtein(t, r);
            normalizedCharacters += t.Length;
            var expected = Words(truth);
            var found = Words(read);
            truthWords += expected.Length;
            readWords += found.Length;
            var left = expected.CountBy(w => w).ToDictionary(StringComparer.Ordinal);
            foreach (var w in found)
                if (left.TryGetValue(w, out var n) && n > 0) { left[w] = n - 1; matched++; }
        }
        double precision = Ratio(matched, readWords), recall = Ratio(matched, truthWords);
        return new TextRecognitionScore(lines, Ratio(exact, lines), Ratio(edits, characters),
            Ratio(normalizedEdits, normalizedCharacters), precision, recall,
            precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0);
    }

    private static string[] Words(string s) => s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static string Normalized(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();

    // An empty side scores 0 errors over 0 characters as a rate of 0 and 0 words matched of 0 as 0: nothing to count.
    private static double Ratio(long part, long whole) => whole > 0 ? (double)part / whole : 0;
}
