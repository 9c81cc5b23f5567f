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
}
