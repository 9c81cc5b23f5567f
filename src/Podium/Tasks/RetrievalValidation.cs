using Podium.Config;
using Podium.Data;
using Podium.Evaluation;
using Podium.Training;
using static TorchSharp.torch;

namespace Podium.Tasks;

/// <summary>
/// The validation images embedded by a run's model and searching each other, leave-one-out: the val_recall_at_1 and
/// val_map_at_r columns every run that learns an embedding logs (a cosine head's classifier, a pretraining run's backbone).
/// </summary>
public static class RetrievalValidation
{
    /// <summary>The metrics' names, without val_.</summary>
    public static readonly string[] Names = ["recall_at_1", "map_at_r"];

    /// <summary>The metrics, higher better.</summary>
    public static IEnumerable<MetricSpec> Metrics => Names.Select(n => new MetricSpec(n, HigherIsBetter: true));

    /// <summary>The loader's images embedded by <paramref name="model"/> (eval mode), and each row's label in <paramref name="data"/>.
    /// </summary>
    public static (EmbeddingSet Set, int[] Labels) Embed(nn.Module<Tensor, Tensor> model, PodiumConfig config,
        BatchLoader<ImageBatch> loader, ImageDataset data, Device device)
    {
        var set = Embeddings.Compute(model, Embeddings.Embedder(model, config, device), loader, device);
        return (set, set.Labels(data));
    }

    /// <summary>Recall@1 and MAP@R of the rows searching each other, into <paramref name="values"/> under their val_ columns.</summary>
    public static void Add(IDictionary<string, double> values, EmbeddingSet set, int[] labels)
    {
        var retrieval = RetrievalMetrics.Compute(set, labels, set, labels, sameSet: true, ks: [1]);
        values["val_recall_at_1"] = retrieval.RecallAtK[1];
        values["val_map_at_r"] = retrieval.MapAtR;
    }
}
