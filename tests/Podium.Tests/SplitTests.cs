using OpenCvSharp;
using Podium.Data;
using Podium.Eda;
using Podium.Evaluation;

namespace Podium.Tests;

/// <summary>Split files, adversarial validation and samplers.</summary>
public class SplitTests
{
    private static int[] FlowerLabels() => DatasetReader.Open(Path.Combine(TestEnv.Datasets, "flowers")).Dataset.Labels();

    [Theory]
    [InlineData(5, 0)]
    [InlineData(7, 3)]
    public void StratifiedKFoldKeepsEveryClassWithinOneOfIdeal(int k, int seed)
    {
        foreach (var labels in new[] { FlowerLabels(), Enumerable.Range(0,
            103).Select(i => i % 4 == 0 ? 0 : i % 7 == 0 ? 2 : 1).ToArray() })
        {
            var fold = Splits.StratifiedKFold(labels, k, seed);
            foreach (var c in labels.Distinct())
            {
                double ideal = labels.Count(l => l == c) / (double)k;
                for (int f = 0; f < k; f++)
                    Assert.InRange(Enumerable.Range(0, labels.Length).Count(i => fold[i] == f && labels[i] == c), ideal - 1, ideal + 1);
            }
            var sizes = Enumerable.Range(0, k).Select(f => fold.Count(x => x == f)).ToArray();
            Assert.True(sizes.Max() - sizes.Min() <= 1);
            Assert.Equal(fold, Splits.StratifiedKFold(labels, k, seed));
            Assert.NotEqual(fold, Splits.StratifiedKFold(labels, k, seed + 1));
        }
    }

    [Fact]
    public void GroupsNeverStraddleFoldsOrSubsets()
    {
        // 60 "people" with 1-9 images each, labels skewed per person.
        var rng = new Random(4);
        var groups = new List<string>();
        var labels = new List<int>();
        for (int p = 0; p < 60; p++)
        {
            int n = rng.Next(1, 10), main = p % 3;
            for (int j = 0; j < n; j++) { groups.Add($"person{p}"); labels.Add(rng.NextDouble() < 0.8 ? main : rng.Next(3)); }
        }
        void NoStraddle(int[] assignment)
        {
            foreach (var g in Enumerable.Range(0, groups.Count).GroupBy(i => groups[i]))
                Assert.Single(g.Select(i => assignment[i]).Distinct());
        }
        var sgkf = Splits.StratifiedGroupKFold(labels, groups, 5, 0);
        NoStraddle(sgkf);
        NoStraddle(Splits.GroupKFold(groups, 5, 0));
        NoStraddle(Splits.StratifiedSubsets(labels, groups, [0.15, 0.15], 0));
        // Stratified group k-fold keeps class shares near the overall ones (groups make exactness impossible).
        for (int c = 0; c < 3; c++)
        {
            double overall = labels.Count(l => l == c) / (double)labels.Count;
            for (int f = 0; f < 5; f++)
            {
                var members = Enumerable.Range(0, labels.Count).Where(i => sgkf[i] == f).ToArray();
                Assert.InRange(members.Count(i => labels[i] == c) / (double)members.Length, overall - 0.12, overall + 0.12);
            }
        }
    }

    [Fact]
    public void ToySubsetKeepsEveryClassEvenASingleton()
    {
        var labels = Enumerable.Repeat(0, 200).Concat(Enumerable.Repeat(1, 35)).Concat([2]).ToArray();
        var toy = Splits.Where(Splits.StratifiedSubsets(labels, [0.1], 9, everyClass: true), 1);
        Assert.Equal([20, 4, 1], Enumerable.Range(0, 3).Select(c => toy.Count(i => labels[i] == c)));
    }

    [Fact]
    public void SplitCliWritesByteIdenticalFilesThatTrainingReads()
    {
        var root = TestEnv.TempDir("split");
        var flowers = Path.Combine(TestEnv.Datasets, "flowers");
        foreach (var (name, args) in new[] { ("folds", new[] { "--folds", "5" }), ("hold", new[] { "--holdout", "0.7,0.15,0.15" }), ("toy",
            new[] { "--toy", "0.1" }) })
        {
            foreach (var copy in new[] { "a", "b" })
            {
                var r = TestEnv.Podium(root, ["split", flowers, .. args, "--seed", "3", "--out", $"{name}-{copy}.csv"]);
                Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
            }
            Assert.Equal(File.ReadAllBytes(Path.Combine(root, $"{name}-a.csv")), File.ReadAllBytes(Path.Combine(root, $"{name}-b.csv")));
        }
        Assert.Equal(0, TestEnv.Podium(root, "split", flowers, "--folds", "5", "--seed", "4", "--out", "folds-c.csv").ExitCode);
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(root, "folds-a.csv")), File.ReadAllBytes(Path.Combine(root, "folds-c.csv")));

        // Training's view of fold 2: fold 2 validates, the other four train, nothing in both.
        var fold2 = SplitFile.Read(Path.Combine(root, "folds-a.csv"), 2);
        Assert.Equal(4317, fold2.Train.Length + fold2.Val.Length);
        Assert.InRange(fold2.Val.Length, 863, 864);
        Assert.Empty(fold2.Train.Intersect(fold2.Val));
        var hold = SplitFile.Read(Path.Combine(root, "hold-a.csv"), null);
        Assert.Equal(4317, hold.Train.Length + hold.Val.Length + hold.Test.Length);
        Assert.InRange(hold.Test.Length, 645, 652);
        var toy = SplitFile.Read(Path.Combine(root, "toy-a.csv"), null);
        Assert.InRange(toy.Train.Length + toy.Val.Length, 425, 440);
        Assert.Equal(5, toy.Train.Select(toy.Data.Label).Distinct().Count());

        Assert.Contains("set data.fold",
            Assert.Throws<PodiumException>(() => SplitFile.Read(Path.Combine(root, "folds-a.csv"), null)).Message);
        Assert.Contains("data.fold 9 is not in the file",
            Assert.Throws<PodiumException>(() => SplitFile.Read(Path.Combine(root, "folds-a.csv"), 9)).Message);
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "split", flowers, "--holdout", "0.5,0.2"),
            "train,val[,test] fractions that add up to 1");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "split", flowers, "--group", "person"),
            "a group column (person) needs a CSV manifest");
    }

    [Fact]
    public void GroupColumnOfAManifestIsHonoured()
    {
        var root = TestEnv.TempDir("split-group");
        var files = Directory.GetFiles(Path.Combine(TestEnv.Datasets, "flowers", "daisy")).Take(30)
            .Concat(Directory.GetFiles(Path.Combine(TestEnv.Datasets, "flowers", "rose")).Take(30)).ToArray();
        File.WriteAllLines(Path.Combine(root, "m.csv"), ["path,label,person",
            .. files.Select((f, i) => $"{f},{(i < 30 ? "daisy" : "rose")},p{i / 4}")]);
        var r = TestEnv.Podium(root, "split", "m.csv", "--folds", "3", "--group", "person", "--out", "g.csv");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("15 groups, none in two folds", r.Stdout);
        var rows = File.ReadAllLines(Path.Combine(root, "g.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal("path,label,group,fold", File.ReadLines(Path.Combine(root, "g.csv")).First());
        foreach (var g in rows.GroupBy(x => x[2])) Assert.Single(g.Select(x => x[3]).Distinct());
    }

    /// <summary>Writes flowers images through one encoder, optionally darkened or blurred: train and test differ only by the
    /// change.</summary>
    private static string WriteSet(string dir, IEnumerable<string> files, Action<Mat>? change)
    {
        Directory.CreateDirectory(dir);
        int i = 0;
        foreach (var f in files)
        {
            using var img = Cv2.ImRead(f);
            change?.Invoke(img);
            Cv2.ImWrite(Path.Combine(dir, $"{i++:D4}.png"), img);
        }
        return dir;
    }

    [Fact]
    public void AdversarialValidationTellsShiftedTestSetsApartButNotRandomHalves()
    {
        var root = TestEnv.TempDir("adv");
        var all = Directory.GetFiles(Path.Combine(TestEnv.Datasets, "flowers"), "*.jpg",
            SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        new Random(2).Shuffle(all);
        var trainFiles = all[..400];
        var testFiles = all[400..700];
        ImageFacts[] Scan(string dir) => ImageScan.Run(DatasetReader.Open(dir, labelled: false).Dataset, "x");
        var train = Scan(WriteSet(Path.Combine(root, "train"), trainFiles, null));
        var same = Scan(WriteSet(Path.Combine(root, "same"), testFiles, null));
        var dark = Scan(WriteSet(Path.Combine(root, "dark"), testFiles, m => m.ConvertTo(m, -1, 0.6)));
        var blur = Scan(WriteSet(Path.Combine(root, "blur"), testFiles, m => Cv2.GaussianBlur(m, m, new Size(0, 0), 1.5)));
        Assert.InRange(AdversarialValidation.Run(train, same).Auc, 0.4, 0.6);
        Assert.InRange(AdversarialValidation.Run(train, dark).Auc, 0.95, 1.0);
        Assert.InRange(AdversarialValidation.Run(train, blur).Auc, 0.95, 1.0);
    }

    [Fact]
    public void LikeTestValidatesOnTheMostTestLikeImagesOfEveryClass()
    {
        var root = TestEnv.TempDir("adv-cli");
        // Train: 60 daisies and 60 roses, a third of each darkened; test: 60 other daisies and roses, all dark.
        // Validation should be the dark training images.
        var rows = new List<string> { "path,label" };
        var test = new List<string>();
        foreach (var cls in new[] { "daisy", "rose" })
        {
            var files = Directory.GetFiles(Path.Combine(TestEnv.Datasets, "flowers", cls)).Order(StringComparer.Ordinal).Take(90).ToArray();
            test.AddRange(files[60..]);
            WriteSet(Path.Combine(root, cls), files[..40], null);
            WriteSet(Path.Combine(root, cls + "-dark"), files[40..60], m => m.ConvertTo(m, -1, 0.5));
            rows.AddRange(Directory.GetFiles(Path.Combine(root, cls)).Select(f => $"{f},{cls}"));
            rows.AddRange(Directory.GetFiles(Path.Combine(root, cls + "-dark")).Select(f => $"{f},{cls}"));
        }
        File.WriteAllLines(Path.Combine(root, "train.csv"), rows);
        WriteSet(Path.Combine(root, "test"), test, m => m.ConvertTo(m, -1, 0.5));

        var r = TestEnv.Podium(root, "split", "train.csv", "--like", "test", "--holdout", "0.75,0.25", "--out", "like.csv");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("train vs test AUC", r.Stdout);
        var val = File.ReadAllLines(Path.Combine(root, "like.csv")).Skip(1).Select(l => l.Split(',')).Where(x => x[2] == "val").ToArray();
        Assert.Equal(30, val.Length);
        Assert.Equal(15, val.Count(x => x[1] == "daisy"));
        Assert.True(val.Count(x => x[0].Contains("-dark/")) >= 27, string.Join('\n', val.Select(x => x[0])));
        Assert.True(File.Exists(Path.Combine(root, "like_adversarial.png")));
    }

    [Fact]
    public void RocAucMatchesScikitLearnWithTies()
    {
        // sklearn.metrics.roc_auc_score(y, s) = 0.7777777777777778
        bool[] y = [false, false, true, true, false, true, true, false, true, false, false, true];
        double[] s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.05, 0.6, 0.7, 0.2, 0.4];
        Assert.Equal(0.7777777777777778, RankMetrics.RocAuc(s, y), 12);
        Assert.True(double.IsNaN(RankMetrics.RocAuc([0.1, 0.2], [true, true])));
    }

    private static readonly int[] TenToOne = [.. Enumerable.Repeat(0, 500), .. Enumerable.Repeat(1, 500), .. Enumerable.Repeat(2, 50),
        .. Enumerable.Repeat(3, 50), .. Enumerable.Repeat(4, 50)];

    [Fact]
    public void WeightedSamplingBalancesATenToOneSliceWithinFivePoints()
    {
        var sampler = new WeightedClassSampler(TenToOne, 1.0, seed: 0);
        var total = new int[5];
        for (int epoch = 1; epoch <= 10; epoch++)
        {
            var order = sampler.Order(epoch);
            Assert.Equal(TenToOne.Length, order.Length);
            var counts = Samplers.ClassCounts(order, order.Length, i => TenToOne[i], 5);
            foreach (var c in counts) Assert.InRange(c / (double)order.Length, 0.15, 0.25);
            for (int k = 0; k < 5; k++) total[k] += counts[k];
        }
        // Over ten epochs the shares are within 5% (relative) of a fifth.
        foreach (var c in total) Assert.InRange(c / (10.0 * TenToOne.Length), 0.19, 0.21);
        Assert.Equal(sampler.Order(3), new WeightedClassSampler(TenToOne, 1.0, seed: 0).Order(3));
        // power 0: every image equally likely, the imbalance stays.
        var plain = Samplers.ClassCounts(new WeightedClassSampler(TenToOne, 0, 0).Order(1), TenToOne.Length, i => TenToOne[i], 5);
        Assert.InRange(plain[0] / (double)plain[2], 7, 14);
    }

    [Fact]
    public void BalancedBatchesHoldEveryClassEqually()
    {
        var order = new ClassBalancedBatchSampler(TenToOne, 20, seed: 1).Order(1);
        Assert.Equal(TenToOne.Length, order.Length);
        for (int b = 0; b < order.Length / 20; b++)
            Assert.All(Samplers.ClassCounts(order[(b * 20)..((b + 1) * 20)], 20, i => TenToOne[i], 5), c => Assert.Equal(4, c));
        // A minority class is walked through completely before any of its images repeats.
        var rose = order.Where(i => TenToOne[i] == 2).ToArray();
        Assert.Equal(50, rose[..50].Distinct().Count());
    }
}
