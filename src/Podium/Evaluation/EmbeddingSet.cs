namespace Podium.Evaluation;

/// <summary>Unit-length embeddings of a set of images, row i belonging to image Indices[i].</summary>
public sealed record EmbeddingSet(float[,] Vectors, int[] Indices)
{
    public int Count => Indices.Length;
    public int Width => Vectors.GetLength(1);

    /// <summary>Each row's label in <paramref name="data"/> (<see cref="Data.ImageDataset.Unlabelled"/> where it has none).</summary>
    public int[] Labels(Data.ImageDataset data) => [.. Indices.Select(data.Label)];
}
