namespace Podium.Tests;

public class HeadTrainingTests
{
    [Theory]
    [InlineData("{type: cosine, embedding: 64, scale: 16}", "{name: arcface, margin: 0.3}")]
    [InlineData("{type: msd, samples: 4, dropout: 0.3}", "{name: cross_entropy}")]
    public void ConfiguredHeadsTrainEvaluateAndPredict(string head, string loss)
    {
        var root = TestEnv.ShapesProject("heads", trainPerClass: 8, seed: 4, testPerClass: 2, configYaml: $"""
            seed: 0
            data: {"{"}train: data/train, img_size: 32{"}"}
            model: {"{"}name: resnet18, head: {head}{"}"}
            train: {"{"}epochs: 2, batch_size: 8, loss: {loss}{"}"}
            """);
        // A cosine head learns an embedding: each epoch also judges it as retrieval among the validation images (MAP@R picks the best).
        string[] metric = head.Contains("cosine") ? ["--set", "train.metric=map_at_r"] : [];
        var train = TestEnv.Podium(root, new[] { "train", "cfg.yaml", "--out", "run" }.Concat(metric).ToArray());
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        if (head.Contains("cosine"))
            Assert.Contains("\"monitor\": \"val_map_at_r\"", File.ReadAllText(Path.Combine(root, "run", "summary.json")));
        var epochs = File.ReadAllLines(Path.Combine(root, "run", "epochs.csv"));
        var header = epochs[0].Split(',');
        Assert.Equal(head.Contains("cosine"), header.Contains("val_map_at_r") && header.Contains("val_recall_at_1"));
        if (head.Contains("cosine"))
            foreach (var row in epochs.Skip(1).Select(l => l.Split(',')))
                Assert.InRange(double.Parse(row[Array.IndexOf(header, "val_map_at_r")], System.Globalization.CultureInfo.InvariantCulture),
                    0.0, 1.0);
        else
            EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "cfg.yaml", "--set", "train.metric=map_at_r", "--out", "bad"),
                "train.metric: map_at_r judges a learned embedding, which only a cosine head learns (model.head: {type: cosine})");
        var eval = TestEnv.Podium(root, "evaluate", "--run", "run");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var predict = TestEnv.Podium(root, "predict", "--run", "run", "--input", "data/test", "--out", "sub.csv");
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        // One row per test image, each naming a class; the submission's label is the probability file's argmax.
        var sub = File.ReadAllLines(Path.Combine(root, "sub.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(10, sub.Length);
        var classes = File.ReadAllLines(Path.Combine(root, "run", "classes.txt"));
        var probabilities = File.ReadAllLines(Path.Combine(root, "run", "predictions",
            "test.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(sub.Select(a => a[0]), probabilities.Select(a => Path.GetFileNameWithoutExtension(a[0])));
        for (int i = 0; i < sub.Length; i++)
        {
            var p = probabilities[i].Skip(2).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(classes[Array.IndexOf(p, p.Max())], sub[i][1]);
            Assert.Equal(1.0, p.Sum(), 4);
        }

        // Embeddings (the cosine head's 64-d ones, or msd's pooled 512 features), unit length, and a gallery search.
        var embed = TestEnv.Podium(root, "embed", "--run", "run", "--input", "data/test", "--gallery", "data/train", "--k", "3", "--out",
            "emb/test.csv");
        Assert.True(embed.ExitCode == 0, embed.Stderr + embed.Stdout);
        int width = head.Contains("cosine") ? 64 : 512;
        var rows = File.ReadAllLines(Path.Combine(root, "emb", "test.csv"));
        Assert.Equal(1 + width, rows[0].Split(',').Length);
        Assert.Equal(11, rows.Length);
        foreach (var row in rows.Skip(1))
        {
            double norm = Math.Sqrt(row.Split(',').Skip(1).Sum(v => Math.Pow(double.Parse(v,
                System.Globalization.CultureInfo.InvariantCulture), 2)));
            Assert.InRange(norm, 0.999, 1.001);
        }
        var neighbours = File.ReadAllLines(Path.Combine(root, "emb", "neighbours.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(10 * 3, neighbours.Count);
        foreach (var query in neighbours.Chunk(3))
        {
            var sims = query.Select(q => double.Parse(q[4], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.True(sims[0] >= sims[1] && sims[1] >= sims[2] && sims[0] <= 1.0001);
            Assert.Equal(["1", "2", "3"], query.Select(q => q[1]));
        }
        // Searching the training images for themselves: each finds itself first, so k-NN with k = 1 is exact.
        var self = TestEnv.Podium(root, "embed", "--run", "run", "--input", "data/train", "--gallery", "data/train", "--k", "1", "--out",
            "emb/train.csv", "--clusters", "auto");
        Assert.True(self.ExitCode == 0, self.Stderr + self.Stdout);
        Assert.Contains("k-NN accuracy (majority of 1): 1.0000", self.Stdout);
        // Retrieval does not count finding oneself: searching the set against itself leaves each image out of its own search.
        Assert.Matches(@"retrieval \(40 queries, leave-one-out among them\): Recall@1 [\d.]+, Recall@5 [\d.]+, Recall@10 [\d.]+, MAP@R ",
            self.Stdout);
        Assert.Contains("\"gallery\": \"leave-one-out\"", File.ReadAllText(Path.Combine(root, "emb", "retrieval.json")));
        // --clusters auto: k from 2 to 12 by the silhouette; the chosen k has the sweep's best.
        using var clusters = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "emb", "clusters.json")));
        var sweep = clusters.RootElement.GetProperty("sweep").EnumerateArray()
            .Select(s => (K: s.GetProperty("k").GetInt32(), Silhouette: s.GetProperty("silhouette").GetDouble())).ToList();
        Assert.Equal(Enumerable.Range(2, 11), sweep.Select(s => s.K));
        Assert.Equal(sweep.MaxBy(s => s.Silhouette).K, clusters.RootElement.GetProperty("k").GetInt32());
        Assert.Equal("silhouette", clusters.RootElement.GetProperty("chosen_by").GetString());
        Assert.All(File.ReadAllLines(Path.Combine(root, "emb", "neighbours.csv")).Skip(1).Select(l => l.Split(',')), n => Assert.Equal(n[0],
            n[2]));
    }
}
