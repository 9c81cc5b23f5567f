using Podium.Platform;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// DBNet (Liao et al. 2020): backbone pyramid → neck → two heads that up-sample stride 4 back to the input size, a
/// probability map P and a threshold map T, and the approximate binary map B = 1 / (1 + e^(−k(P − T))), k = 50.
/// Training returns [P, T, B] as channels; evaluation returns P alone (the threshold branch is not run).
/// </summary>
public sealed class DbNet : Module<Tensor, Tensor>, Onnx.IOnnxExportable
{
    private readonly FeaturePyramid backbone;
    private readonly Module<Tensor[], Tensor> neck;
    private readonly Module<Tensor, Tensor> binarize;
    private readonly Module<Tensor, Tensor> thresh;
    private readonly double _k;

    /// <summary>The DBNet a text-detection config describes: model.name the backbone, ocr.neck and ocr.inner the neck, ocr.bn_momentum
    /// every batch norm's.</summary>
    public static DbNet FromConfig(Config.PodiumConfig c) =>
        new(c.Model.Name, c.Ocr?.Neck ?? "fpn", c.Ocr?.Inner ?? 256, bnMomentum: c.Ocr?.BnMomentum ?? 0.1);

    /// <param name="bnMomentum">Every BatchNorm's running-statistics momentum. TorchVision's MobileNetV3 uses 0.01, made
    /// for long ImageNet runs: after a few hundred steps from scratch its running statistics are still mostly their
    /// initial values and evaluation-mode maps come out flat; 0.1 (PyTorch's default) follows the weights.</param>
    public DbNet(string backboneName = "resnet18", string neckName = "fpn", int inner = 256, double k = 50,
        double bnMomentum = 0.1) : base(nameof(DbNet))
    {
        backbone = new FeaturePyramid(backboneName);
        neck = DbNecks.Create(neckName, backbone.Channels, inner);
        binarize = Head(inner);
        thresh = Head(inner);
        _k = k;
        RegisterComponents();
        InitialiseNew(neck, binarize, thresh);
        foreach (var bn in modules().OfType<TorchSharp.Modules.BatchNorm>()) bn.momentum = bnMomentum;
    }

    /// <summary>The official initialisation of the parts a DBNet adds to its backbone: Kaiming for convs, BN weight 1 and bias
    /// 1e-4.</summary>
    internal static void InitialiseNew(params Module[] parts)
    {
        using var biasValue = 1e-4.ToScalar();
        foreach (var m in parts.SelectMany(m => m.modules()))
        {
            if (m is TorchSharp.Modules.Conv2d conv) init.kaiming_normal_(conv.weight);
            if (m is TorchSharp.Modules.BatchNorm bn) { init.ones_(bn.weight); init.constant_(bn.bias, biasValue); }
        }
    }

    /// <summary>A DBNet of the config: Podium's own, or the ONNX detector model.pretrained names (<see cref="ImportedDbNet"/>).</summary>
    public static Module<Tensor, Tensor> Create(Config.PodiumConfig c) => ImportedDbNet.Imports(c.Model.Pretrained)
        ? ImportedDbNet.Load(c.Model.Pretrained!) : FromConfig(c);

    /// <summary>conv3x3 → BN → ReLU → deconv x2 → BN → ReLU → deconv x2 → sigmoid: a stride-4 map back at full size.</summary>
    internal static Module<Tensor, Tensor> Head(int inner) => Sequential(
        Conv2d(inner, inner / 4, 3, padding: 1, bias: false), BatchNorm.BatchNorm2d(inner / 4), ReLU(inplace: true),
        ConvTranspose2d(inner / 4, inner / 4, 2, stride: 2), BatchNorm.BatchNorm2d(inner / 4), ReLU(inplace: true),
        ConvTranspose2d(inner / 4, 1, 2, stride: 2), Sigmoid());

    /// <summary>The probability map, as evaluation computes it.</summary>
    public string ToOnnx(Onnx.OnnxGraph g, string x)
    {
        if (neck is not DbFpn fpn)
            throw new PodiumException($"ONNX export: a DBNet with the {neck.GetType().Name} neck has no ONNX form yet (ocr.neck: fpn has)");
        return g.Module(binarize, fpn.ToOnnx(g, backbone.ToOnnx(g, x)));
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var features = neck.forward(backbone.forward(x));
        var p = binarize.forward(features);
        if (!training) return p.MoveToOuterDisposeScope();
        return TrainingMaps(p, thresh.forward(features), _k).MoveToOuterDisposeScope();
    }

    /// <summary>The probability, threshold and approximate binary map 1 / (1 + e^(−k(p − t))), as the DB loss takes them.</summary>
    internal static Tensor TrainingMaps(Tensor p, Tensor t, double k) => cat([p, t, reciprocal(exp((p - t).Times(-k)).Plus(1))], 1);
}
