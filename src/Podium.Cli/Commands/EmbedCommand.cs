using System.ComponentModel;
using Podium.Runs;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class EmbedCommand : PodiumCommand<EmbedCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandOption("--run <DIR>")]
        [Description("Run directory written by podium train")]
        public string Run { get; init; } = "";

        [CommandOption("--input <DIR_OR_CSV>")]
        [Description("Images to embed: a folder or a CSV; labelled as the run's classes, they are scored as retrieval (Recall@k, MAP@R), " +
            "and with --gallery by k-NN accuracy")]
        public string Input { get; init; } = "";

        [CommandOption("--out <FILE>")]
        [Description("CSV of embeddings: path, e0, e1, ... (unit length; a cosine head's embedding, else pooled features)")]
        public string Out { get; init; } = "embeddings.csv";

        [CommandOption("--gallery <DIR_OR_CSV>")]
        [Description("Labelled images to search: writes each input's nearest ones and their majority label")]
        public string? Gallery { get; init; }

        [CommandOption("-k <K>")]
        [Description("Neighbours per image (default 5)")]
        public int K { get; init; } = 5;

        [CommandOption("--clusters <K>")]
        [Description("k-means over the inputs' embeddings: K clusters, or 'auto' to sweep 2-12 by the silhouette; writes clusters.csv, " +
            "clusters.json and clusters.png (the images nearest each centre) beside --out, with purity and NMI for labelled inputs")]
        public string? Clusters { get; init; }

        [CommandOption("--map")]
        [Description("Draw the inputs' embeddings on a plane (t-SNE): map.png, map.html (hover a point to see its image) and map.csv " +
            "beside --out")]
        public bool Map { get; init; }

        [CommandOption("--duplicates <COSINE>")]
        [Description("Near-duplicates: every pair at or above this cosine similarity (e.g. 0.95), inputs against --gallery (test against " +
            "train) or among the inputs; duplicates.csv and duplicates.png beside --out")]
        public double? Duplicates { get; init; }

        [CommandOption("--neighbours <FILE>")]
        [Description("Where the neighbours go (default neighbours.csv beside --out)")]
        public string? Neighbours { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Run.Length == 0 || s.Input.Length == 0) throw new PodiumException("embed: --run DIR and --input DIR_OR_CSV are required");
        var r = RunPredictor.Embed(s.Run, s.Input, s.Out, s.Gallery, s.K, s.Neighbours, s.Device, Log, s.Clusters, s.Map, s.Duplicates);
        Log($"wrote {r.Count} embeddings of {r.Width} values to {Path.GetFullPath(s.Out)}");
        if (r.NeighboursPath is not null) Log($"wrote {s.K} nearest gallery images per input to {r.NeighboursPath}");
        if (r.KnnAccuracy is { } acc) Log(F($"k-NN accuracy (majority of {s.K}): {acc:F4}"));
        if (r.Retrieval is { } q)
        {
            var recall = string.Join(", ", q.RecallAtK.OrderBy(x => x.Key).Select(x => F($"Recall@{x.Key} {x.Value:F4}")));
            var left = q.NothingToFind == 0 ? "" : $"; {q.NothingToFind} with nothing to find left out";
            Log(F($"retrieval ({q.Queries} queries, {(q.LeaveOneOut ? "leave-one-out among them" : "against the gallery")}{left}): ") +
                F($"{recall}, MAP@R {q.MapAtR:F4} ({r.RetrievalPath})"));
        }
        if (r.Clusters is { } c) PrintClusters(c);
        if (r.Duplicates is { } d)
        {
            var against = s.Gallery is null ? "among the inputs" : "against the gallery";
            Log(F($"near-duplicates (cosine >= {d.Threshold:0.###}, {against}): ") +
                (d.Pairs == 0 ? "none" : F($"{d.Pairs} pairs, {d.Images} inputs ({d.CsvPath}, {d.PngPath})")));
        }
        if (r.Map is { } m)
            Log(F($"t-SNE map (KL {m.KlDivergence:F3}): {Path.Combine(Path.GetDirectoryName(Path.GetFullPath(s.Out))!, "map.html")} ") +
                "(hover a point for its image), map.png, map.csv");
        return 0;
    }

    private void PrintClusters(ClusterReport c)
    {
        var agreement = c.Purity is { } purity ? F($", purity {purity:F4}, NMI {c.Nmi:F4} against the labels") : "";
        Log(F($"k-means: {c.K} clusters (silhouette {c.Silhouette:F4}{agreement}); sizes {string.Join(' ', c.Sizes)}"));
        // Where each class falls: its clusters, most of it first.
        foreach (var (name, clusters) in c.PerClass)
        {
            int total = clusters.Sum(x => x.Count);
            Log($"  {name}: " + string.Join(", ", clusters.Take(4).Select(x => F($"#{x.Cluster} {100.0 * x.Count / total:F0} %"))) +
                (clusters.Count > 4 ? $", {clusters.Count - 4} more" : ""));
        }
        Log($"clusters: {c.Folder} (clusters.csv, clusters.json, clusters.png: the images nearest each centre)");
    }
}
