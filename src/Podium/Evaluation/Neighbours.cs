namespace Podium.Evaluation;

/// <summary>One query's k nearest gallery images by cosine similarity, best first.</summary>
public sealed record Neighbours(int Query, int[] Gallery, float[] Similarity);
