using Podium.Ocr;

namespace Podium.Tests;

/// <summary>CTC decoding against its definition: a labelling's probability is the sum over every path (a class per step) that
/// collapses to it (repeats merged, then blanks dropped); enumerated by brute force on small cases.</summary>
public class CtcDecoderTests
{
    private static float[] RandomLogProbs(Random rng, int steps, int classes, double sharpness)
    {
        var result = new float[steps * classes];
        for (var t = 0; t < steps; t++)
        {
            var logits = Enumerable.Range(0, classes).Select(_ => sharpness * rng.NextDouble()).ToArray();
            var norm = Math.Log(logits.Sum(Math.Exp));
            for (var c = 0; c < classes; c++) result[t * classes + c] = (float)(logits[c] - norm);
        }
        return result;
    }

    private static Dictionary<string, double> Exact(float[] logProbs, int steps, int classes)
    {
        var sums = new Dictionary<string, double>();
        var path = new int[steps];
        for (var n = 0; n < (int)Math.Pow(classes, steps); n++)
        {
            var m = n;
            double p = 0;
            for (var t = 0; t < steps; t++, m /= classes) { path[t] = m % classes; p += logProbs[t * classes + path[t]]; }
            var labels = path.Where((c, t) => c != 0 && (t == 0 || path[t - 1] != c));
            var key = string.Join(',', labels);
            sums[key] = sums.GetValueOrDefault(key) + Math.Exp(p);
        }
        return sums;
    }

    [Fact]
    public void AFullBeamGivesEveryLabellingsSummedProbability()
    {
        var rng = new Random(3);
        foreach (var (steps, classes) in new[] { (5, 3), (6, 3), (4, 4) })
            for (var k = 0; k < 10; k++)
            {
                var logProbs = RandomLogProbs(rng, steps, classes, sharpness: 3);
                var exact = Exact(logProbs, steps, classes);
                // Every labelling fits in a beam of 200 with every class tried: the search is exact.
                var beam = CtcDecoder.Beam(logProbs, classes, width: 200);
                Assert.Equal(exact.Count, beam.Count);
                foreach (var (labels, logProb) in beam)
                    Assert.Equal(Math.Log(exact[string.Join(',', labels)]), logProb, 5);
                Assert.Equal(exact.MaxBy(kv => kv.Value).Key, string.Join(',', beam[0].Labels));
            }
    }

    [Fact]
    public void GreedyFollowsTheBestPathAndTheBeamCanDoBetter()
    {
        // Steps: blank 0.4 / a 0.3 / b 0.3 three times. The best path is all blanks (0.064, an empty read), but "a" has more
        // probability summed over its paths: the beam reads "a" or "b", greedy reads nothing.
        float L(double p) => (float)Math.Log(p);
        var logProbs = Enumerable.Repeat(new[] { L(0.4), L(0.3), L(0.3) }, 3).SelectMany(r => r).ToArray();
        Assert.Empty(CtcDecoder.Greedy(logProbs, 3));
        var beam = CtcDecoder.Beam(logProbs, 3, width: 8);
        Assert.Single(beam[0].Labels);
        Assert.True(beam[0].LogProb > Math.Log(0.064));
        // Repeats merge unless a blank parts them: a a _ a b b reads "a a b" (labels 1 1 2).
        var path = new[] { 1, 1, 0, 1, 2, 2 };
        var sharp = path.SelectMany(c => Enumerable.Range(0, 3).Select(k => L(k == c ? 0.98 : 0.01))).ToArray();
        Assert.Equal([1, 1, 2], CtcDecoder.Greedy(sharp, 3));
        Assert.Equal([1, 1, 2], CtcDecoder.Beam(sharp, 3, width: 4)[0].Labels);
        // A rule on the labelling (no two equal labels in a row) takes the likeliest labelling it accepts.
        var ruled = CtcDecoder.Beam(sharp, 3, width: 16, accept: l => !l.Zip(l.Skip(1)).Any(p => p.First == p.Second));
        Assert.Equal([1, 2], ruled[0].Labels);
    }

    [Fact]
    public void TheForwardAlgorithmGivesEachLabellingsSummedProbability()
    {
        var rng = new Random(7);
        foreach (var (steps, classes) in new[] { (5, 3), (6, 3), (4, 4), (1, 3) })
            for (var k = 0; k < 5; k++)
            {
                var logProbs = RandomLogProbs(rng, steps, classes, sharpness: 3);
                foreach (var (key, p) in Exact(logProbs, steps, classes))
                {
                    int[] labels = key.Length == 0 ? [] : [.. key.Split(',').Select(int.Parse)];
                    Assert.Equal(Math.Log(p), CtcDecoder.LogProbability(logProbs, classes, labels), 5);
                }
                // A labelling too long for the steps (a repeat needs a blank between) has no path.
                int[] repeats = [.. Enumerable.Repeat(1, (steps + 3) / 2)];
                Assert.Equal(double.NegativeInfinity, CtcDecoder.LogProbability(logProbs, classes, repeats));
            }
    }

    [Fact]
    public void ALexiconReadsTheLikeliestEntryNearTheReadingOrNothing()
    {
        // Blank, a, b, c over three steps: a 0.6 (the others 0.4 / 3), b 0.4 (0.2 each), c 0.7 (0.1 each). The best path reads
        // "abc". Of the entries one edit from it, "abcc" cannot fit three steps (the two c need a blank between them), "ab" sums
        // 0.6 x 0.12 + 0.4 / 3 x 0.02 = 0.0747 over its five paths and "bc" 0.4 / 3 x 0.86 = 0.1147: the first step's best
        // class loses to the whole line's evidence. "cab" is two edits away and is not weighed.
        var characters = CharacterSet.FromTexts(["abc"]);
        float[] Step(int best, double p) => [.. Enumerable.Range(0, 4).Select(c => (float)Math.Log(c == best ? p : (1 - p) / 3))];
        var logProbs = new[] { Step(1, 0.6), Step(2, 0.4), Step(3, 0.7) }.SelectMany(s => s).ToArray();
        Assert.Equal([1, 2, 3], CtcDecoder.Greedy(logProbs, 4));
        var lexicon = new Lexicon(["ab", "abcc", "bc", "cab", "bc"], maxEdits: 1);
        Assert.Equal(4, lexicon.Count);
        Assert.Equal(["ab", "abcc", "bc"], lexicon.Near("abc"));
        Assert.Equal(0.0747, Math.Exp(CtcDecoder.LogProbability(logProbs, 4, [1, 2])), 4);
        var read = lexicon.Constrain("abc", logProbs, characters);
        Assert.Equal("bc", read.Text);
        Assert.Equal(0.4 / 3 * 0.86, read.Confidence, 5);
        // Nothing near: an empty reading, confidence 0; an entry with a character outside the set is never read.
        Assert.Equal(new LineReading("", 0), new Lexicon(["zzzz", "abx"], maxEdits: 1).Constrain("abc", logProbs, characters));
    }

    [Fact]
    public void TheBandedEditDistanceAgreesWithTheFullOne()
    {
        var rng = new Random(11);
        string Word() => new([.. Enumerable.Range(0, rng.Next(0, 9)).Select(_ => (char)('a' + rng.Next(3)))]);
        for (var i = 0; i < 3000; i++)
        {
            string a = Word(), b = Word();
            int max = rng.Next(0, 4), d = Podium.Platform.EditDistance.Levenshtein(a, b);
            Assert.True(Podium.Platform.EditDistance.Within(a, b, max) == d <= max, $"{a} {b} {max}: {d}");
        }
    }
}
