using Podium.Augment;

namespace Podium.Data;

/// <summary>Per-pixel targets made from a sample's transformed polygons: <paramref name="Planes"/> maps of H×W, which
/// <paramref name="Fill"/>(polygons, H, W, buffer, offset) writes, every value of them, into the batch's buffer.</summary>
public sealed record DenseTargets(int Planes, Action<IReadOnlyList<Polygon>, int, int, float[], int> Fill);
