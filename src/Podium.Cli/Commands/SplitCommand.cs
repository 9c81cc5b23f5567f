using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class SplitCommand : PodiumCommand<SplitCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DATA>")]
        [Description("Labelled data: an image folder (one folder per class) or a CSV manifest")]
        public string Data { get; init; } = "";

        [CommandOption("--folds <K>")]
        [Description("K stratified folds (grouped with --group): a fold column")]
        public int? KFold { get; init; }

        [CommandOption("--holdout <FRACTIONS>")]
        [Description("train,val[[,test]] fractions (default 0.7,0.15,0.15): a subset column")]
        public string? Holdout { get; init; }

        [CommandOption("--toy <FRACTION>")]
        [Description("Keep a stratified fraction (e.g. 0.1) with every class, then split it (default 0.8,0.2)")]
        public double? Toy { get; init; }

        [CommandOption("--group <COLUMN>")]
        [Description("CSV column of groups that must never straddle two folds or subsets")]
        public string? Group { get; init; }

        [CommandOption("--like <TEST_DATA>")]
        [Description("Adversarial validation: validation = the train images most like these test images")]
        public string? Like { get; init; }

        [CommandOption("--multi-label")]
        [Description("The CSV's label column holds space-separated labels (stratified by each image's rarest label)")]
        public bool MultiLabel { get; init; }

        [CommandOption("--seed <SEED>")]
        [Description("Seed of the shuffles (default 0): the same seed writes the same file")]
        public int Seed { get; init; }

        [CommandOption("--out <FILE>")]
        [Description("Split file to write (default split.csv)")]
        public string Out { get; init; } = "split.csv";
    }

    protected override int Run(Settings s)
    {
        if (s.KFold is not null && s.Holdout is not null) throw new PodiumException("--folds and --holdout: choose one");
        double[]? holdout = null;
        if (s.Holdout is not null)
        {
            try { holdout = s.Holdout.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray(); }
            catch (FormatException) { throw new PodiumException($"--holdout {s.Holdout}: expected fractions like 0.7,0.15,0.15"); }
        }
        var r = Runs.SplitMaker.Make(new Runs.SplitRequest
        {
            Data = s.Data,
            Out = s.Out,
            Seed = s.Seed,
            KFold = s.KFold,
            Holdout = holdout,
            Toy = s.Toy,
            GroupColumn = s.Group,
            Like = s.Like,
            MultiLabel = s.MultiLabel,
        });
        if (r.Skipped > 0) Log($"skipped {r.Skipped} inputs: {r.SkipSummary}");
        if (r.Adversarial is { } a)
        {
            string verdict = a.Auc < 0.6 ? "hard to tell apart: a random validation split is fine"
                : a.Auc < 0.8 ? "some shift" : "strong shift: validate on the test-like images";
            Log(F($"adversarial validation: train vs test AUC {a.Auc:F3} ({verdict})"));
            Log("most telling features: " + string.Join(", ", a.Strongest.Select(t => F($"{t.Feature} ({t.Weight:+0.00;-0.00})"))));
            Log($"scores: {r.AdversarialPlot}");
        }
        var table = new Table().AddColumn(r.Column);
        foreach (var c in r.Classes) table.AddColumn(Markup.Escape(c));
        table.AddColumn("total");
        for (int p = 0; p < r.Parts.Count; p++)
        {
            var cells = Enumerable.Range(0, r.Classes.Count).Select(c => r.Counts[p, c]).ToArray();
            table.AddRow([r.Parts[p], .. cells.Select(v => v.ToString(CultureInfo.InvariantCulture)),
                r.Sizes[p].ToString(CultureInfo.InvariantCulture)]);
        }
        AnsiConsole.Write(table);
        if (r.Groups > 0) Log($"{r.Groups} groups, none in two {r.Column}s");
        Log($"wrote {r.Path}; train on it with data.split: {r.Path}" + (r.Column == "fold" ? " and data.fold: K" : ""));
        return 0;
    }
}
