using Podium.Models;
using Podium.Ocr;
using Podium.Quickstart;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>The CRNN recogniser: its shapes, libtorch's CTC loss against the full beam's labelling probability, and a fixed
/// batch of synthetic lines learnt until greedy decoding reads every line (by the CRNN and by SVTR-Tiny).</summary>
public class CrnnTests
{
    [Fact]
    public void OneStepPerFourColumns()
    {
        using var net = new Crnn(classes: 11, width: 32, hidden: 16);
        using var output = net.call(zeros(2, 3, 32, 100));
        Assert.Equal([2L, 25, 11], output.shape);
    }

    [Fact]
    public void CtcLossIsTheNegativeLogOfTheLabellingsProbabilitySummedOverItsAlignments()
    {
        var rng = new Random(3);
        const int steps = 7, classes = 4;
        var logits = Enumerable.Range(0, steps * classes).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        using var logProbs = tensor(logits).reshape(steps, 1, classes).log_softmax(2);
        // A beam wide enough for every labelling of 7 steps: exact (CtcDecoderTests checks it by brute force).
        var beam = CtcDecoder.Beam(logProbs.reshape(-1).data<float>().ToArray(), classes, width: 5000);
        foreach (int[] label in new[] { new[] { 1 }, [2, 2], [1, 3, 1], [3, 2, 1, 2] })
        {
            using var loss = nn.functional.ctc_loss(logProbs, tensor(label.Select(l => (long)l).ToArray()).unsqueeze(0),
                tensor(new long[] { steps }), tensor(new long[] { label.Length }), reduction: nn.Reduction.Sum);
            var expected = -beam.Single(b => b.Labels.SequenceEqual(label)).LogProb;
            Assert.Equal(expected, loss.item<float>(), 4);
        }
    }

    [Theory]
    [InlineData("crnn", 5e-3)]
    [InlineData("svtr_tiny", 2e-3)]
    public void LearnsAFixedBatchOfSyntheticLinesUntilGreedyDecodingReadsThem(string name, double lr)
    {
        manual_seed(0);
        var rng = new Random(5);
        var face = SyntheticLines.Typefaces[0];
        var texts = new[] { "TOTAL 12.50", "01/05/2024", "CASH", "INV-00421" };
        var lines = texts.Select(t => SyntheticLines.Render(t, face, rng)).ToList();
        var characters = CharacterSet.FromTexts(texts);
        // 16 px high and a narrow network: read in about 180 steps (5 s); at 32 px and 64 channels it takes about 450.
        var (data, shape) = LineImages.Batch(lines, height: 16, minWidth: 32, bgr: false);
        foreach (var line in lines) line.Dispose();
        using var images = tensor(data).reshape(shape);
        var unknown = new Dictionary<string, int>();
        var encoded = texts.Select(t => characters.Encode(t, unknown)).ToArray();
        Assert.Empty(unknown);
        using var targets = tensor(encoded.SelectMany(e => e).Select(l => (long)l).ToArray());
        using var targetLengths = tensor(encoded.Select(e => (long)e.Length).ToArray());
        using nn.Module<Tensor, Tensor> net = name == "crnn" ? new Crnn(characters.Classes, width: 32, hidden: 32)
            : new SvtrTiny(characters.Classes, dim: 32, depth: 1, heads: 2);
        using var optimizer = optim.Adam(net.parameters(), lr);
        string[] read = [];
        for (var step = 0; step < 400 && !read.SequenceEqual(texts); step++)
        {
            using var scope = NewDisposeScope();
            net.train();
            var logProbs = net.call(images).log_softmax(2).permute(1, 0, 2); // [T, N, C], as ctc_loss takes it
            var inputLengths = full(texts.Length, logProbs.shape[0], dtype: int64);
            var loss = nn.functional.ctc_loss(logProbs, targets, inputLengths, targetLengths);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (step % 10 != 9) continue;
            net.eval();
            using (no_grad())
            {
                var output = net.call(images).log_softmax(2);
                read = [.. Enumerable.Range(0, texts.Length).Select(i => characters.Decode(CtcDecoder.Greedy(
                    output[i].reshape(-1).data<float>().ToArray(), characters.Classes)))];
            }
        }
        Assert.Equal(texts, read);
    }
}
