using Podium.Config;
using Podium.Platform;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// PatchCore (Roth et al. 2022): a pretrained backbone, frozen, describes every patch of an image by its middle layers' features
/// (each averaged over its 3x3 neighbourhood, the deeper ones resized to the first's grid, side by side); a memory bank keeps a
/// coreset of the normal training images' patch features; a patch's anomaly is its distance to the nearest one there, and an
/// image's score is its most anomalous patch. The backbone's tensors keep their classifier's names under <c>backbone.</c>, so
/// model.pretrained loads into it.
/// </summary>
public sealed class PatchCoreModel : Module<Tensor, Tensor>, IAnomalyModel
{
    /// <summary>Distances computed at once: query rows x bank rows (64 MB of floats), whatever the bank's size.</summary>
    private const long BlockElements = 16L << 20;

    private readonly Module<Tensor, Tensor> backbone;
    private readonly (string Name, Module<Tensor, Tensor> Module)[] _stages;
    private readonly HashSet<string> _taps;
    private readonly Tensor _bank;

    /// <summary>Values per patch.</summary>
    public long FeatureDim { get; }
    /// <summary>Patches per image (the first layer's grid).</summary>
    public long PatchesPerImage { get; }

    public PatchCoreModel(PodiumConfig config) : base(nameof(PatchCoreModel))
    {
        var anomaly = config.Anomaly ?? throw new InvalidOperationException("an anomaly config has an anomaly section");
        backbone = ModelRegistry.Features(config.Model.Name, config.Data.Channels, ModelRegistry.Options(config.Model),
            config.Data.ImgSize);
        var children = backbone.named_children().Select(c => (c.name, Module: (Module<Tensor, Tensor>)c.module)).ToArray();
        var names = children.Select(c => c.name).ToList();
        foreach (var layer in anomaly.Layers.Where(l => !names.Contains(l)))
            throw new ConfigException($"anomaly.layers: '{layer}' is not a layer of {config.Model.Name} (its layers: " +
                $"{string.Join(", ", names)})");
        int last = anomaly.Layers.Max(names.IndexOf);
        _stages = children[..(last + 1)];
        _taps = [.. anomaly.Layers];
        foreach (var p in backbone.parameters()) p.requires_grad = false;
        using (no_grad())
        using (var probe = zeros(1, config.Data.Channels, config.Data.ImgSize, config.Data.ImgSize))
        using (var patches = Patches(probe))
        {
            FeatureDim = patches.shape[1];
            PatchesPerImage = patches.shape[2] * patches.shape[3];
        }
        _bank = zeros(anomaly.BankSize, FeatureDim);
        register_buffer("memory_bank", _bank);
        RegisterComponents();
    }

    /// <summary>The memory bank's rows.</summary>
    public long BankSize => _bank.shape[0];

    /// <summary>Fills the memory bank (its size was settled in the config the model was built from).</summary>
    public void SetBank(Tensor rows)
    {
        using var _ = no_grad();
        _bank.copy_(rows);
    }

    /// <summary>Locally aware patch features [batch, values, height, width] of a normalised batch (the backbone in eval mode
    /// whatever the trainer asked: its batch statistics are ImageNet's).</summary>
    public Tensor Patches(Tensor x)
    {
        backbone.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var features = new List<Tensor>();
        foreach (var (name, stage) in _stages)
        {
            x = stage.call(x);
            if (_taps.Contains(name)) features.Add(functional.avg_pool2d(x, 3, stride: 1, padding: 1));
        }
        var size = new[] { features[0].shape[2], features[0].shape[3] };
        var resized = features.Select((f, i) => i == 0 ? f : functional.interpolate(f, size, mode: InterpolationMode.Bilinear,
            align_corners: false));
        return cat(resized.ToArray(), 1).MoveToOuterDisposeScope();
    }

    /// <summary>Each row's Euclidean distance to its nearest memory bank row, in blocks of bounded size.</summary>
    public Tensor NearestDistances(Tensor rows)
    {
        using var scope = NewDisposeScope();
        long block = Math.Max(1, BlockElements / Math.Max(1, BankSize));
        var parts = new List<Tensor>();
        for (long start = 0; start < rows.shape[0]; start += block)
            parts.Add(TensorMath.SquaredDistances(rows.narrow(0, start, Math.Min(block, rows.shape[0] - start)), _bank).amin(1).sqrt());
        return cat(parts.ToArray()).MoveToOuterDisposeScope();
    }

    public Tensor AnomalyMap(Tensor x)
    {
        using var scope = NewDisposeScope();
        var patches = Patches(x);
        var (b, c, h, w) = (patches.shape[0], patches.shape[1], patches.shape[2], patches.shape[3]);
        return NearestDistances(patches.permute(0, 2, 3, 1).reshape(-1, c)).view(b, h, w).MoveToOuterDisposeScope();
    }

    public Tensor ImageScore(Tensor map) => map.flatten(1).amax(1);

    public override Tensor forward(Tensor x) => AnomalyMap(x);
}
