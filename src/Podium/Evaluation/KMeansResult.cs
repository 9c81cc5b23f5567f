namespace Podium.Evaluation;

/// <summary>A k-means clustering (<see cref="KMeans"/>).</summary>
/// <param name="Assignment">Each point's cluster.</param>
/// <param name="Centres">k rows of d values.</param>
/// <param name="Inertia">The sum of squared distances of the points to their centres.</param>
/// <param name="SquaredDistances">Each point's squared distance to every centre (n × k).</param>
public sealed record KMeansResult(int[] Assignment, float[,] Centres, double Inertia, float[,] SquaredDistances)
{
    public int K => Centres.GetLength(0);
}
