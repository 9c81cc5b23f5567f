namespace Podium.Ocr;

/// <summary>
/// The readings a line may have (a text file, one per line), for lexicon-constrained decoding as the CRNN paper does it (Shi et
/// al., 2015): the entries within a few edits of the unconstrained reading are weighed by their exact CTC probability
/// (<see cref="CtcDecoder.LogProbability"/>) and the likeliest is the reading; a line with no entry that near reads as empty, with
/// confidence 0, so that "not in the lexicon" stays visible.
/// </summary>
public sealed class Lexicon
{
    private readonly string[] entries;

    /// <param name="maxEdits">How far from the unconstrained reading an entry may be to be weighed (the paper's δ, 3).</param>
    public Lexicon(IEnumerable<string> entries, int maxEdits = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxEdits);
        this.entries = [.. entries.Distinct(StringComparer.Ordinal)];
        MaxEdits = maxEdits;
    }

    public int Count => entries.Length;
    public int MaxEdits { get; }

    /// <summary>A lexicon file: one entry per line, blank lines ignored.</summary>
    public static Lexicon Load(string path, int maxEdits = 3)
    {
        if (!File.Exists(path)) throw new PodiumException($"{path}: no such lexicon file");
        var lexicon = new Lexicon(File.ReadLines(path).Where(l => l.Trim().Length > 0), maxEdits);
        return lexicon.Count > 0 ? lexicon : throw new PodiumException($"{path}: an empty lexicon (one entry per line)");
    }

    /// <summary>The entries at most <see cref="MaxEdits"/> edits from <paramref name="reading"/>.</summary>
    public IEnumerable<string> Near(string reading) => entries.Where(e => Platform.EditDistance.Within(reading, e, MaxEdits));

    /// <summary>The likeliest entry near the unconstrained <paramref name="reading"/> under a line's log-probabilities, or an empty
    /// reading when none is near (entries holding a character outside the set cannot be read and are passed over).</summary>
    public LineReading Constrain(string reading, ReadOnlySpan<float> logProbs, CharacterSet characters)
    {
        var unknown = new Dictionary<string, int>();
        (string Text, double LogProb) best = ("", double.NegativeInfinity);
        foreach (var entry in Near(reading))
        {
            unknown.Clear();
            var labels = characters.Encode(entry, unknown);
            if (unknown.Count > 0) continue;
            var logProb = CtcDecoder.LogProbability(logProbs, characters.Classes, labels);
            if (logProb > best.LogProb) best = (entry, logProb);
        }
        return new LineReading(best.Text, Math.Exp(best.LogProb));
    }
}
