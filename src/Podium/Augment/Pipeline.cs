using OpenCvSharp;

namespace Podium.Augment;

/// <summary>A full preprocessing pipeline: transforms, then a resize to the model's input size
/// if the transforms did not end there, then normalisation into a float CHW buffer.</summary>
public sealed class Pipeline(ITransform transforms, Normalize normalize, int height, int width)
{
    public ITransform Transforms { get; } = transforms;
    public Normalize Normalize { get; } = normalize;
    public int Height { get; } = height;
    public int Width { get; } = width;

    public void Run(Mat image, Random rng, Span<float> destination)
    {
        using var target = new AugmentTarget(image);
        Transforms.Apply(target, rng);
        Warp.Resize(target, Width, Height);
        Normalize.WriteChw(target.Image, destination);
    }

    /// <summary>Runs the pipeline on an image and its text polygons, which come back as transformed (in output pixels).</summary>
    public List<Polygon> Run(Mat image, IReadOnlyList<Polygon> polygons, Random rng, Span<float> destination)
    {
        using var target = new AugmentTarget(image).WithPolygons(polygons);
        Transforms.Apply(target, rng);
        Warp.Resize(target, Width, Height);
        Normalize.WriteChw(target.Image, destination);
        return target.Polygons;
    }
}
