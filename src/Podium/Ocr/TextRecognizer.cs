using System.Diagnostics;
using OpenCvSharp;
using static TorchSharp.torch;

namespace Podium.Ocr;

/// <summary>
/// Reads line images with a CTC recogniser: lines sorted by width into batches of similar widths (little padding), each resized
/// to the network's height keeping its aspect (<see cref="LineImages"/>, RGB), the logits turned into log-probabilities and decoded
/// greedily or by prefix beam search, optionally keeping only readings a rule accepts (a date pattern) or a lexicon's entries.
/// Network and decoding times are summed apart.
/// </summary>
public sealed class TextRecognizer(nn.Module<Tensor, Tensor> model, CharacterSet characters, int height, int maxWidth, Device device)
{
    public CharacterSet Characters => characters;
    public int Height => height;
    /// <summary>Lines per network call.</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Prefixes the beam decoder keeps.</summary>
    public int BeamWidth { get; init; } = 8;
    /// <summary>A rule on a whole reading: the beam decoder returns the likeliest reading it accepts (empty when none is).</summary>
    public Func<string, bool>? Accept { get; init; }
    /// <summary>Readings limited to a lexicon's entries: the likeliest entry near what either decoder read.</summary>
    public Lexicon? Lexicon { get; init; }
    /// <summary>Milliseconds spent in the network (batching and resizing included) and in each decoder, summed over calls.</summary>
    public double NetworkMs { get; private set; }
    public double GreedyMs { get; private set; }
    public double BeamMs { get; private set; }

    /// <summary>Each line read greedily (<paramref name="beam"/> false) or by beam search.</summary>
    public LineReading[] Read(IReadOnlyList<Mat> lines, bool beam = false) => Read(lines, [beam])[0];

    /// <summary>Each line read by each decoder (false: greedy, true: beam) from one network pass.</summary>
    public LineReading[][] Read(IReadOnlyList<Mat> lines, IReadOnlyList<bool> decoders)
    {
        var results = decoders.Select(_ => new LineReading[lines.Count]).ToArray();
        var order = Enumerable.Range(0, lines.Count).OrderBy(i => lines[i].Width / (double)Math.Max(1, lines[i].Height)).ToArray();
        model.eval();
        foreach (var chunk in Batches(order, lines))
        {
            var clock = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            var (data, shape) = LineImages.Batch([.. chunk.Select(i => lines[i])], height, minWidth: 8, maxWidth, bgr: false);
            float[] logProbs;
            using (no_grad()) logProbs = model.forward(tensor(data, shape).to(device)).log_softmax(-1).cpu().data<float>().ToArray();
            NetworkMs += clock.Elapsed.TotalMilliseconds;
            int classes = characters.Classes, steps = logProbs.Length / classes / chunk.Length;
            if (steps * classes * chunk.Length != logProbs.Length)
                throw new PodiumException($"the recogniser gives {logProbs.Length / chunk.Length} values per line, not steps of " +
                    $"{classes} classes (its character set has {classes - 1} characters)");
            for (int k = 0; k < chunk.Length; k++)
            {
                var row = logProbs.AsSpan(k * steps * classes, steps * classes);
                for (int d = 0; d < decoders.Count; d++) results[d][chunk[k]] = Decode(row, decoders[d]);
            }
        }
        return results;
    }

    /// <summary>The lines sorted by aspect, cut into batches of at most <see cref="BatchSize"/> whose widest is at most 10 % (and one
    /// width step) wider than their narrowest once resized: a recogniser reads the padding too (a BiLSTM's backward pass starts
    /// in it), and short words batched with a page's long lines were misread (the OCR quickstart's small words, end to end).
    /// </summary>
    private IEnumerable<int[]> Batches(int[] order, IReadOnlyList<Mat> lines)
    {
        var batch = new List<int>(BatchSize);
        int narrowest = 0;
        foreach (var i in order)
        {
            int width = LineImages.Width(lines[i].Width, lines[i].Height, height, maxWidth);
            if (batch.Count == BatchSize || (batch.Count > 0 && width > narrowest * 1.1 + LineImages.WidthStep))
            {
                yield return [.. batch];
                batch.Clear();
            }
            if (batch.Count == 0) narrowest = width;
            batch.Add(i);
        }
        if (batch.Count > 0) yield return [.. batch];
    }

    private LineReading Decode(ReadOnlySpan<float> logProbs, bool beam)
    {
        var clock = Stopwatch.StartNew();
        LineReading reading;
        if (!beam)
        {
            var labels = CtcDecoder.Greedy(logProbs, characters.Classes, out var logP);
            reading = new LineReading(characters.Decode(labels), Math.Exp(logP));
            if (Lexicon is not null) reading = Lexicon.Constrain(reading.Text, logProbs, characters);
            GreedyMs += clock.Elapsed.TotalMilliseconds;
            return reading;
        }
        Func<int[], bool>? accept = Accept is null ? null : l => Accept(characters.Decode(l));
        var found = CtcDecoder.Beam(logProbs, characters.Classes, BeamWidth, accept);
        reading = found.Count == 0 ? new LineReading("", 0) : new LineReading(characters.Decode(found[0].Labels),
            Math.Exp(found[0].LogProb));
        if (Lexicon is not null) reading = Lexicon.Constrain(reading.Text, logProbs, characters);
        BeamMs += clock.Elapsed.TotalMilliseconds;
        return reading;
    }
}
