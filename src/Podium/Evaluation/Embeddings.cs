using System.Globalization;
using Podium.Data;
using Podium.IO;
using Podium.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Evaluation;

/// <summary>
/// Embeddings for retrieval and nearest-neighbour classification: with a cosine (ArcFace/CosFace) head
/// its normalised embedding, else the backbone's pooled features (a pretraining run's too), L2-normalised, so a dot product is
/// the cosine similarity. Neighbours are found exactly (a matrix product and top-k, in blocks).
/// </summary>
public static class Embeddings
{
    /// <summary>The function from a batch of images to unit embeddings for a trained model of <paramref name="config"/>.</summary>
    public static Func<Tensor, Tensor> Embedder(nn.Module<Tensor, Tensor> model, Config.PodiumConfig config, Device device)
    {
        if (model is SslModel pretrained) return x => nn.functional.normalize(pretrained.Features(x), p: 2, dim: 1);
        var net = model is InputAdapter adapter ? adapter.Network : model;
        Func<Tensor, Tensor> adapt = model is InputAdapter a ? a.Adapt : x => x;
        if (net is Classifier c)
            return c.Head is CosineHead h ? x => h.Embed(c.Features(adapt(x))) : x => nn.functional.normalize(c.Features(adapt(x)), p: 2,
                dim: 1);
        // A registry model with its own classifier: the same weights in the features mode (names match but the classifier's).
        var features = ModelRegistry.Features(config.Model.Name, config.Data.Channels, ModelRegistry.Options(config.Model),
            config.Data.ImgSize);
        features.load_state_dict(model.state_dict(), strict: false);
        features.to(device);
        features.eval();
        return x => nn.functional.normalize(features.forward(x), p: 2, dim: 1);
    }

    /// <summary>Embeds every image the loader yields (eval mode, no gradients).</summary>
    public static EmbeddingSet Compute(nn.Module<Tensor, Tensor> model, Func<Tensor, Tensor> embed, BatchLoader<ImageBatch> loader,
        Device device)
    {
        model.eval();
        var rows = new List<float[]>();
        var indices = new List<int>();
        using var noGrad = no_grad();
        foreach (var batch in loader.Epoch(0))
        {
            using var scope = NewDisposeScope();
            var x = tensor(batch.Pixels, batch.Shape, device: device);
            loader.Recycle(batch);
            var e = embed(x).to(ScalarType.Float32).cpu();
            long width = e.shape[1];
            var values = e.data<float>().ToArray();
            for (int i = 0; i < batch.Count; i++)
            {
                rows.Add(values.AsSpan(i * (int)width, (int)width).ToArray());
                indices.Add(batch.Indices[i]);
            }
        }
        int d = rows.Count == 0 ? 0 : rows[0].Length;
        var vectors = new float[rows.Count, d];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < d; j++) vectors[i, j] = rows[i][j];
        return new EmbeddingSet(vectors, [.. indices]);
    }

    /// <summary>The k most similar gallery rows of each query row (cosine similarity of unit vectors).</summary>
    public static IReadOnlyList<Neighbours> Nearest(EmbeddingSet queries, EmbeddingSet gallery, int k)
    {
        k = Math.Min(k, gallery.Count);
        var result = new List<Neighbours>(queries.Count);
        Search(queries, gallery, k, leaveOneOut: false, (start, n, idx, sims) =>
        {
            for (int i = 0; i < n; i++)
                result.Add(new Neighbours(start + i, idx.Skip(i * k).Take(k).Select(p => (int)p).ToArray(),
                    sims.Skip(i * k).Take(k).ToArray()));
        });
        return result;
    }

    /// <summary>
    /// The k most similar gallery rows of each query row, a block of queries at a time so that memory stays bounded: each block
    /// goes to <paramref name="block"/> as its first query, its size, and row by row the gallery positions and similarities, best
    /// first. <paramref name="leaveOneOut"/>: the queries are the gallery, and no row finds itself (k at most the gallery less one).
    /// </summary>
    public static void Search(EmbeddingSet queries, EmbeddingSet gallery, int k, bool leaveOneOut, Action<int, int, long[], float[]> block)
    {
        using var scope = NewDisposeScope();
        var g = tensor(gallery.Vectors);
        var all = tensor(queries.Vectors);
        const int Block = 1024; // bounds the similarity matrix held at once
        for (int start = 0; start < queries.Count; start += Block)
        {
            using var blockScope = NewDisposeScope();
            int n = Math.Min(Block, queries.Count - start);
            var similarities = all.narrow(0, start, n).matmul(g.t());
            // Never oneself: below any cosine, so last of the row, past k.
            if (leaveOneOut) similarities.diagonal(start).fill_(BelowAnyCosine);
            var (values, positions) = similarities.topk(k, dim: 1);
            block(start, n, positions.data<long>().ToArray(), values.data<float>().ToArray());
        }
    }

    private static readonly Scalar BelowAnyCosine = (-2.0).ToScalar(); // process-lifetime: see Platform.Scalars

    /// <summary>The label most of the neighbours carry, ties broken by summed similarity.</summary>
    public static int Vote(Neighbours n, Func<int, int> galleryLabel) =>
        n.Gallery.Select((g, r) => (Label: galleryLabel(g), Sim: n.Similarity[r]))
            .GroupBy(v => v.Label).OrderByDescending(v => v.Count()).ThenByDescending(v => v.Sum(x => x.Sim)).First().Key;

    /// <summary>embeddings.csv: the image id (path) and its vector, written atomically.</summary>
    public static void WriteCsv(string path, EmbeddingSet set, ImageDataset data)
    {
        var lines = new List<string>(set.Count + 1) { Csv.Line(["path", .. Enumerable.Range(0, set.Width).Select(j => $"e{j}")]) };
        for (int i = 0; i < set.Count; i++)
            lines.Add(Csv.Line([data.Locate(set.Indices[i]), .. Enumerable.Range(0,
                set.Width).Select(j => set.Vectors[i, j].ToString("G6", CultureInfo.InvariantCulture))]));
        AtomicFile.WriteAllLines(path, lines);
    }
}
