using System.Globalization;
using System.Text.Json;
using Podium.Evaluation;

namespace Podium.Tests;

/// <summary>Line accuracy, character error rates and SROIE Task 2's word scores against a Python reference: the textbook edit
/// distance and the word scorer of TrOCR's SROIE evaluation (each read word removes one equal transcribed word).</summary>
public class TextRecognitionScoreTests
{
    [Fact]
    public async Task ScoresEqualTheReferenceOnRandomReadings()
    {
        // Receipt-like lines and readings of them with the mistakes recognisers make: dropped, doubled and swapped
        // characters, case, spaces lost or added, words repeated; some read exactly, some empty.
        var rng = new Random(5);
        string[] words = ["TOTAL", "RM", "12.50", "JALAN", "SDN", "BHD", "12/03/2018", "GST", "QTY", "1", "x", "Tax"];
        var pairs = new List<(string Truth, string Read)>();
        for (var i = 0; i < 200; i++)
        {
            var truth = string.Join(' ', Enumerable.Range(0, rng.Next(1, 6)).Select(_ => words[rng.Next(words.Length)]));
            var read = new System.Text.StringBuilder();
            foreach (var c in truth)
                switch (rng.Next(i % 4 == 0 ? 1000 : 30))
                {
                    case 0: break;
                    case 1: read.Append(c).Append(c); break;
                    case 2: read.Append((char)('A' + rng.Next(26))); break;
                    case 3: read.Append(char.ToLowerInvariant(c)); break;
                    case 4: read.Append(c == ' ' ? "" : c + " "); break;
                    default: read.Append(c); break;
                }
            pairs.Add((truth, i % 50 == 7 ? "" : i % 50 == 9 ? read + " " + read : read.ToString()));
        }
        var score = TextRecognitionScore.Of(pairs);
        var script = $$"""
            import json
            pairs = json.loads(r'''{{JsonSerializer.Serialize(pairs.Select(p => new[] { p.Truth, p.Read }))}}''')
            def lev(a, b):
                row = list(range(len(b) + 1))
                for i in range(1, len(a) + 1):
                    prev, row[0] = row[0], i
                    for j in range(1, len(b) + 1):
                        cur = row[j]
                        row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] != b[j - 1]))
                        prev = cur
                return row[len(b)]
            norm = lambda s: ''.join(s.split()).upper()
            gt = det = match = 0
            for ref, pred in pairs:
                pred_words, ref_words = pred.split(), ref.split()
                gt += len(ref_words); det += len(pred_words)
                for w in pred_words:
                    if w in ref_words:
                        match += 1
                        ref_words.remove(w)
            p, r = match / det, match / gt
            print(json.dumps([sum(t == s for t, s in pairs) / len(pairs),
                sum(lev(t, s) for t, s in pairs) / sum(len(t) for t, _ in pairs),
                sum(lev(norm(t), norm(s)) for t, s in pairs) / sum(len(norm(t)) for t, _ in pairs), p, r, 2 * p * r / (p + r)]))
            """;
        var expected = JsonSerializer.Deserialize<double[]>(await TuningTests.Python(script))!;
        double[] actual = [score.LineAccuracy, score.CharacterErrorRate, score.NormalizedCharacterErrorRate, score.WordPrecision,
            score.WordRecall, score.WordF1];
        Assert.Equal(200, score.Lines);
        for (var k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) < 1e-12, string.Create(CultureInfo.InvariantCulture,
                $"figure {k}: {actual[k]:R} vs {expected[k]:R}"));
        // The readings are neither perfect nor useless, so every figure was exercised.
        Assert.InRange(score.LineAccuracy, 0.1, 0.9);
        Assert.InRange(score.NormalizedCharacterErrorRate, 0.005, score.CharacterErrorRate);
    }

    [Fact]
    public void RepeatedWordsMustBeReadAsOftenAsWritten()
    {
        var once = TextRecognitionScore.Of([("1 x 1", "1 x")]);
        Assert.Equal(1.0, once.WordPrecision);
        Assert.Equal(2.0 / 3, once.WordRecall, 12);
        var thrice = TextRecognitionScore.Of([("1 x", "1 1 1 x")]);
        Assert.Equal(0.5, thrice.WordPrecision);
        Assert.Equal(1.0, thrice.WordRecall);
        // Case and spaces: wrong for the plain figures, right once normalised.
        var cased = TextRecognitionScore.Of([("SDN BHD", "Sdn BHD"), ("RM 12.50", "RM12.50")]);
        Assert.Equal(0, cased.LineAccuracy);
        Assert.Equal(3.0 / 15, cased.CharacterErrorRate, 12);
        Assert.Equal(0, cased.NormalizedCharacterErrorRate);
        Assert.Equal(1.0 / 3, cased.WordPrecision, 12);
        Assert.Equal(0.25, cased.WordRecall, 12);
    }
}
