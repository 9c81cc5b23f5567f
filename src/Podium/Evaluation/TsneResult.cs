namespace Podium.Evaluation;

/// <summary>A t-SNE map (<see cref="Tsne"/>): n rows of (x, y), and the KL divergence of its Q from P at the last step.</summary>
public sealed record TsneResult(float[,] Map, double KlDivergence);
