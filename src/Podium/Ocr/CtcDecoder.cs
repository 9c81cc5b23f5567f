namespace Podium.Ocr;

/// <summary>
/// Turns a CTC recogniser's per-step log-probabilities (steps × classes, class 0 the blank) into labels. Greedy: the best
/// class at each step, repeats merged, blanks dropped. Beam: prefix beam search (Hannun et al., 2014), which sums every
/// alignment of a labelling instead of following the single best path; each step extends the beam only with the
/// <c>width</c> likeliest classes of that step (with every class when width is at least the class count the search is exact
/// for labellings that stay in the beam). An optional <c>accept</c> rule on a finished labelling (a date pattern) picks the
/// likeliest labelling it accepts. <see cref="LogProbability"/> scores one given labelling exactly (the CTC forward algorithm), which
/// is how a lexicon's words are weighed.
/// </summary>
public static class CtcDecoder
{
    public static int[] Greedy(ReadOnlySpan<float> logProbs, int classes) => Greedy(logProbs, classes, out _);

    /// <param name="logProb">The best path's log-probability (the sum of each step's best).</param>
    public static int[] Greedy(ReadOnlySpan<float> logProbs, int classes, out double logProb)
    {
        var labels = new List<int>();
        var previous = 0;
        logProb = 0;
        for (var t = 0; t < logProbs.Length / classes; t++)
        {
            var row = logProbs.Slice(t * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            if (best != 0 && best != previous) labels.Add(best);
            previous = best;
            logProb += row[best];
        }
        return [.. labels];
    }

    /// <summary>The beam's labellings, likeliest first, each with its log-probability (summed over its alignments).</summary>
    public static IReadOnlyList<(int[] Labels, double LogProb)> Beam(ReadOnlySpan<float> logProbs, int classes, int width,
        Func<int[], bool>? accept = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        // Prefixes as a trie: node 0 is the empty labelling; a node knows its parent and last label.
        var parent = new List<int> { -1 };
        var last = new List<int> { 0 };
        var children = new Dictionary<(int Node, int Label), int>();
        // Per prefix: log P(prefix, ending in a blank) and log P(prefix, ending in its last label).
        var beam = new Dictionary<int, (double Blank, double Label)> { [0] = (0, double.NegativeInfinity) };
        var order = new int[classes];
        for (var t = 0; t < logProbs.Length / classes; t++)
        {
            var row = logProbs.Slice(t * classes, classes);
            Top(row, order, Math.Min(width, classes));
            var next = new Dictionary<int, (double Blank, double Label)>();
            void Add(int node, double blank, double label)
            {
                if (double.IsNegativeInfinity(blank) && double.IsNegativeInfinity(label)) return; // a labelling no path reaches
                var (b, l) = next.GetValueOrDefault(node, (double.NegativeInfinity, double.NegativeInfinity));
                next[node] = (LogAdd(b, blank), LogAdd(l, label));
            }
            foreach (var (node, (blank, label)) in beam)
            {
                var total = LogAdd(blank, label);
                for (var k = 0; k < Math.Min(width, classes); k++)
                {
                    var c = order[k];
                    var p = row[c];
                    if (c == 0) { Add(node, total + p, double.NegativeInfinity); continue; }
                    if (!children.TryGetValue((node, c), out var child))
                    {
                        child = parent.Count;
                        children[(node, c)] = child;
                        parent.Add(node);
                        last.Add(c);
                    }
                    if (node != 0 && last[node] == c)
                    {
                        // A repeat merges into the prefix unless a blank separated the two.
                        Add(node, double.NegativeInfinity, label + p);
                        Add(child, double.NegativeInfinity, blank + p);
                    }
                    else Add(child, double.NegativeInfinity, total + p);
                }
            }
            beam = next.OrderByDescending(kv => LogAdd(kv.Value.Blank, kv.Value.Label)).Take(width)
                .ToDictionary(kv => kv.Key, kv => kv.Value);
        }
        int[] Labels(int node)
        {
            var labels = new List<int>();
            for (; node > 0; node = parent[node]) labels.Add(last[node]);
            labels.Reverse();
            return [.. labels];
        }
        var found = beam.Select(kv => (Labels: Labels(kv.Key), LogProb: LogAdd(kv.Value.Blank, kv.Value.Label)))
            .OrderByDescending(x => x.LogProb).ToList();
        return accept is null ? found : [.. found.Where(x => accept(x.Labels))];
    }

    /// <summary>log P(labels | steps): the sum over every alignment, by the CTC forward algorithm (Graves et al., 2006) over the
    /// labelling with blanks between and around its labels.</summary>
    public static double LogProbability(ReadOnlySpan<float> logProbs, int classes, ReadOnlySpan<int> labels)
    {
        int steps = logProbs.Length / classes, states = 2 * labels.Length + 1;
        if (steps == 0) return labels.Length == 0 ? 0 : double.NegativeInfinity;
        // State s is the blank when even, labels[s / 2] when odd.
        int Class(int s, ReadOnlySpan<int> l) => s % 2 == 0 ? 0 : l[s / 2];
        var alpha = new double[states];
        var next = new double[states];
        Array.Fill(alpha, double.NegativeInfinity);
        alpha[0] = logProbs[0];
        if (states > 1) alpha[1] = logProbs[labels[0]];
        for (var t = 1; t < steps; t++)
        {
            var row = logProbs.Slice(t * classes, classes);
            for (var s = 0; s < states; s++)
            {
                var a = alpha[s];
                if (s > 0) a = LogAdd(a, alpha[s - 1]);
                // A label may follow the previous label directly unless they are equal (then a blank must separate them).
                if (s > 1 && s % 2 == 1 && labels[s / 2] != labels[s / 2 - 1]) a = LogAdd(a, alpha[s - 2]);
                next[s] = a + row[Class(s, labels)];
            }
            (alpha, next) = (next, alpha);
        }
        return states == 1 ? alpha[0] : LogAdd(alpha[states - 1], alpha[states - 2]);
    }

    /// <summary>The indices of the <paramref name="k"/> largest values, largest first, into <paramref name="order"/>'s first
    /// k places (an insertion into a short sorted list: a recogniser has thousands of classes and the beam a handful).</summary>
    private static void Top(ReadOnlySpan<float> row, int[] order, int k)
    {
        var n = 0;
        for (var c = 0; c < row.Length; c++)
        {
            if (n == k && row[c] <= row[order[k - 1]]) continue;
            var at = n < k ? n++ : k - 1;
            while (at > 0 && row[order[at - 1]] < row[c]) { order[at] = order[at - 1]; at--; }
            order[at] = c;
        }
    }

    private static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        var (hi, lo) = a > b ? (a, b) : (b, a);
        return hi + Math.Log(1 + Math.Exp(lo - hi));
    }
}
