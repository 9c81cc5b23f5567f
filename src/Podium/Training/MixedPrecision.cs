using System.Text.Json.Nodes;
using Podium.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// train.precision (fp32 | bf16 | fp16) and train.channels_last. TorchSharp has no autocast, so low
/// precision is a compute copy: a second instance of the model in bf16/fp16 (normalisation layers kept
/// in fp32, as autocast leaves them) runs forward and backward; the fp32 master weights stay what the
/// optimizer steps, EMA averages and checkpoints save. Per update the master weights are copied into
/// the copy, the copy's gradients come back as fp32 after every backward (accumulation sums in fp32),
/// and batch-norm statistics go back to the master. fp16 multiplies the loss by a dynamic scale
/// (PyTorch's GradScaler: halve and skip the step on inf/NaN gradients, double after 2,000 clean steps).
/// Channels-last hands convolutions NHWC-strided activations (no memory-format API in TorchSharp: a
/// permuted copy has those strides); weights keep their layout, so checkpoints are unaffected.
/// </summary>
public sealed class MixedPrecision : ITrainerCallback, IResumable, IDisposable
{
    public const int GrowthInterval = 2000;
    private const double InitialScale = 65536;

    private readonly nn.Module<Tensor, Tensor>? _copy;
    private readonly (Tensor Master, Tensor Copy)[] _parameters = [];
    private readonly (Tensor Master, Tensor Copy)[] _buffers = [];
    private int _cleanSteps;

    public ScalarType Dtype { get; }
    public bool ChannelsLast { get; }
    /// <summary>The fp16 loss scale (1 for fp32 and bf16, whose range is fp32's).</summary>
    public double Scale { get; private set; } = 1;
    /// <summary>Updates skipped because fp16 gradients overflowed.</summary>
    public int SkippedSteps { get; private set; }

    /// <summary>The module to call: fp32 NCHW images in, fp32 logits out, whatever runs inside.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    public static ScalarType Parse(string precision) => precision switch
    {
        "fp32" => ScalarType.Float32,
        "bf16" => ScalarType.BFloat16,
        "fp16" => ScalarType.Float16,
        _ => throw new ConfigException($"train.precision: unknown precision '{precision}' (fp32, bf16, fp16)"),
    };

    /// <param name="master">The fp32 model the optimizer owns.</param>
    /// <param name="build">Builds another instance of the same architecture (for the low-precision copy).</param>
    public MixedPrecision(nn.Module<Tensor, Tensor> master, Func<nn.Module<Tensor, Tensor>> build, ScalarType dtype, bool channelsLast,
        Device device)
    {
        (Dtype, ChannelsLast) = (dtype, channelsLast);
        if (dtype != ScalarType.Float32)
        {
            _copy = build();
            _copy.to(dtype);
            foreach (var (_, m) in _copy.named_modules())
                if (IsNorm(m)) m.to(ScalarType.Float32);
            _copy.to(device);
            var masterParams = master.named_parameters().ToArray();
            var copyParams = _copy.named_parameters().ToArray();
            if (!masterParams.Select(p => p.name).SequenceEqual(copyParams.Select(p => p.name)))
                throw new InvalidOperationException("the compute copy's parameters differ from the model's");
            _parameters = masterParams.Zip(copyParams, (m, c) => ((Tensor)m.parameter, (Tensor)c.parameter)).ToArray();
            _buffers = master.named_buffers().Zip(_copy.named_buffers(), (m, c) => (m.buffer, c.buffer)).ToArray();
            foreach (var (_, c) in _parameters) c.requires_grad_(true);
            if (dtype == ScalarType.Float16) Scale = InitialScale;
        }
        Model = new Casting(_copy ?? master, dtype, channelsLast);
    }

    /// <summary>Batches go through the compute copy (or the channels-last view) from the start of the fit.</summary>
    public void OnFitStart(TrainerState state) => state.Forward = Model;

    public void OnUpdateStart(TrainerState state) => BeginUpdate();

    public Tensor OnBackward(TrainerState state, Tensor objective) => ScaleLoss(objective);

    public void OnAfterBackward(TrainerState state) => CollectGradients();

    public bool OnBeforeOptimizerStep(TrainerState state) => ReadyToStep();

    /// <summary>The copy validates the weights being checkpointed (the EMA's, when an EMA callback swapped them in first).</summary>
    public IDisposable? OnValidationStart(TrainerState state)
    {
        BeginUpdate();
        return null;
    }

    /// <summary>True when nothing differs from plain fp32 NCHW training.</summary>
    public bool IsPlain => _copy is null && !ChannelsLast;

    private static bool IsNorm(nn.Module m) => m is TorchSharp.Modules.BatchNorm
        or TorchSharp.Modules.LayerNorm or TorchSharp.Modules.GroupNorm or Models.LayerNorm2d;

    /// <summary>Before an update's first batch: the copy takes the master's weights and statistics, trainability included
    /// (freezing).</summary>
    public void BeginUpdate()
    {
        if (_copy is null) return;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // the gradient wrappers: none left to the finalizer (see Platform.Scalars)
        foreach (var (m, c) in _parameters)
        {
            c.copy_(m);
            c.requires_grad_(m.requires_grad);
            c.grad?.zero_();
        }
        foreach (var (m, c) in _buffers) c.copy_(m);
    }

    /// <summary>The loss to call backward on (scaled for fp16).</summary>
    public Tensor ScaleLoss(Tensor loss) => Scale == 1 ? loss : loss.Times(Scale);

    /// <summary>After each backward: the copy's gradients, unscaled, added to the master's in fp32.</summary>
    public void CollectGradients()
    {
        if (_copy is null) return;
        using var noGrad = no_grad();
        foreach (var (m, c) in _parameters)
        {
            if (c.grad is not { } g) continue;
            using var scale = Scale.ToScalar();
            using var g32 = Scale == 1 ? g.to(ScalarType.Float32) : g.to(ScalarType.Float32).div_(scale);
            if (m.grad is { } existing) existing.add_(g32, Scalars.One);
            else m.grad = g32.clone();
            g.zero_();
        }
    }

    /// <summary>
    /// Before the optimizer step: the copy's batch-norm statistics go to the master; with fp16, gradients
    /// that overflowed skip the step (false) and halve the scale, and clean runs grow it.
    /// </summary>
    public bool ReadyToStep()
    {
        if (_copy is null) return true;
        using (no_grad())
            foreach (var (m, c) in _buffers) m.copy_(c);
        if (Dtype != ScalarType.Float16) return true;
        bool finite;
        using (no_grad())
        using (var scope = NewDisposeScope())
            finite = _parameters.Where(p => p.Master.grad is not null).All(p => p.Master.grad!.isfinite().all().item<bool>());
        if (!finite)
        {
            using (NewDisposeScope())
                foreach (var (m, _) in _parameters) m.grad?.zero_();
            Scale /= 2;
            _cleanSteps = 0;
            SkippedSteps++;
            return false;
        }
        if (++_cleanSteps >= GrowthInterval) { Scale *= 2; _cleanSteps = 0; }
        return true;
    }

    public JsonNode? SaveState() => new JsonObject { ["scale"] = Scale, ["clean_steps"] = _cleanSteps, ["skipped_steps"] = SkippedSteps };

    public void LoadState(JsonNode? state)
    {
        if (state is null) return;
        Scale = state["scale"]!.GetValue<double>();
        _cleanSteps = state["clean_steps"]!.GetValue<int>();
        SkippedSteps = state["skipped_steps"]!.GetValue<int>();
    }

    /// <summary>Frees the compute copy (the master belongs to the caller).</summary>
    public void Dispose()
    {
        if (_copy is not null) Model.Dispose();
    }

    /// <summary>Casts images to the compute type (and NHWC strides), runs the network, gives fp32 logits.</summary>
    private sealed class Casting : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> net;
        private readonly ScalarType _dtype;
        private readonly bool _channelsLast;

        public Casting(nn.Module<Tensor, Tensor> network, ScalarType dtype, bool channelsLast) : base(nameof(Casting))
        {
            (net, _dtype, _channelsLast) = (network, dtype, channelsLast);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            if (_channelsLast && x.dim() == 4) x = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
            if (x.dtype != _dtype) x = x.to(_dtype);
            var y = net.forward(x);
            return (y.dtype == ScalarType.Float32 ? y : y.to(ScalarType.Float32)).MoveToOuterDisposeScope();
        }
    }
}
