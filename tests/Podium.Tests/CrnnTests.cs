using OpenCvSharp;
using Podium.Models;
using Podium.Ocr;
using Podium.Quickstart;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>The CRNN recogniser: its shapes, libtorch's CTC loss against the full beam's labelling probability, and a fixed
/// batch of synthetic lines learnt until greedy decoding reads every line.</summary>
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

    [Fact]
    public void LearnsAFixedBatchOfSyntheticLinesUntilGreedyDecodingReadsThem()
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
        using var net = new Crnn(characters.Classes, width: 32, hidden: 32);
        using var optimizer = optim.Adam(net.parameters(), 5e-3);
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

    [Fact]
    public void SyntheticLinesAreReceiptLikeTextInRealFonts()
    {
        var root = TestEnv.TempDir("lines");
        SyntheticLines.Generate(root, 40, seed: 7);
        var rows = global::Podium.IO.Csv.Read(Path.Combine(root, "lines.csv"));
        Assert.Equal(["crop", "text"], rows[0]);
        Assert.Equal(40, rows.Count - 1);
        foreach (var row in rows.Skip(1))
        {
            Assert.False(string.IsNullOrWhiteSpace(row[1]));
            using var image = Cv2.ImRead(Path.Combine(root, row[0]));
            // Drawn at 20 to 36 px with a few pixels of margin, wider than tall.
            Assert.InRange(image.Height, 20, 60);
            Assert.True(image.Width > image.Height, $"{row[0]}: {image.Width}x{image.Height} for '{row[1]}'");
            // Ink darker than the paper.
            using var gray = image.CvtColor(ColorConversionCodes.BGR2GRAY);
            gray.MinMaxLoc(out double min, out double max);
            Assert.True(max - min > 80, $"{row[0]}: contrast {max - min}");
        }
        // Prices, dates and times among the lines, as on receipts; the same seed writes the same lines.
        var texts = rows.Skip(1).Select(r => r[1]).ToList();
        Assert.Contains(texts, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"\d+\.\d\d"));
        Assert.Contains(texts, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"\d\d[/-]\d\d[/-]\d\d|\d{4}-\d\d-\d\d"));
        // The CLI writes the same files for the same seed.
        var again = TestEnv.TempDir("lines-again");
        var cli = TestEnv.Podium(again, "ocr", "lines", "-n", "40", "--seed", "7", "--out", ".");
        Assert.True(cli.ExitCode == 0, cli.Stderr + cli.Stdout);
        Assert.Contains("40 synthetic lines in ", cli.Stdout);
        EndToEndTests.AssertOneLine(TestEnv.Podium(again, "ocr", "lines", "-n", "0"), "--count 0: at least 1");
        Assert.Equal(File.ReadAllText(Path.Combine(root, "lines.csv")), File.ReadAllText(Path.Combine(again, "lines.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "img", "00003.png")), File.ReadAllBytes(Path.Combine(again, "img", "00003.png")));
    }
}
