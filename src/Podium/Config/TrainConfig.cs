namespace Podium.Config;

public sealed record TrainConfig
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 64;
    /// <summary>Drop the last incomplete training batch (BatchNorm dislikes tiny batches).</summary>
    public bool DropLast { get; init; } = true;
    /// <summary>How batches are drawn: random | weighted (power) | balanced; bound into the sampler's options at resolve.</summary>
    public ComponentConfig Sampler { get; init => field = value.OrNamed("random"); } = new("random");
    /// <summary>The optimizer by name with its parameters ({name: adamw, lr: 0.002}); bound into its options at resolve.</summary>
    public ComponentConfig Optimizer { get; init => field = value.OrNamed("adamw"); } = new("adamw");
    /// <summary>The lr schedule by name with its parameters ({name: onecycle, warmup: 0.2}); bound into its options at resolve.</summary>
    public ComponentConfig Scheduler { get; init => field = value.OrNamed("onecycle"); } = new("onecycle");
    /// <summary>The loss by name with its parameters ({name: focal, gamma: 2}); bound into the loss's options at resolve.</summary>
    public ComponentConfig Loss { get; init => field = value.OrNamed("cross_entropy"); } = new("cross_entropy");
    /// <summary>The competition metric (accuracy, f1_macro, kappa_quadratic, roc_auc, log_loss, ...): computed on validation every epoch as
    /// val_NAME.</summary>
    public string Metric { get; init; } = "accuracy";
    /// <summary>More validation metrics to log every epoch.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];
    /// <summary>What picks the best checkpoint, early stopping and plateau schedules watch: val_METRIC (default the competition metric),
    /// val_loss or train_loss.</summary>
    public string? Monitor { get; init; }
    /// <summary>train.monitor, or val_ + the competition metric when it is not set.</summary>
    public string MonitorName() => Monitor ?? "val_" + Metric;
    /// <summary>Threads for libtorch's own kernels; 0 = all cores.</summary>
    public int Threads { get; init; }
    /// <summary>Gradient accumulation: one optimizer update per this many batches (an effective batch of batch_size ×
    /// accumulate).</summary>
    public int Accumulate { get; init; } = 1;
    public ClipConfig ClipGrad { get; init; } = new();
    /// <summary>fp32 | bf16 (fast on CPUs with AVX512-BF16/AMX and on recent GPUs) | fp16 (CUDA, with dynamic loss scaling). Master weights
    /// stay fp32.</summary>
    public string Precision { get; init; } = "fp32";
    /// <summary>Hand convolutions NHWC-strided activations (faster with oneDNN on CPU and tensor cores on GPU).</summary>
    public bool ChannelsLast { get; init; }
    /// <summary>Model EMA: validate and checkpoint an exponential moving average of the weights (off without decay).</summary>
    public EmaConfig Ema { get; init; } = new();
    /// <summary>Stop when train.monitor has not improved for patience epochs (off without patience).</summary>
    public EarlyStoppingConfig EarlyStopping { get; init; } = new();
    /// <summary>Divergence guard: stop when the smoothed loss exceeds this many times its best (0 = only NaN/inf stop).</summary>
    public double DivergenceFactor { get; init; } = 20;

    /// <summary>For a task with its own metrics: the classification default (accuracy) becomes <paramref name="main"/>, and every
    /// metric the task validates is logged beside the chosen one.</summary>
    public TrainConfig WithTaskMetrics(string main, IEnumerable<string> validated)
    {
        var metric = Metric == new TrainConfig().Metric ? main : Metric;
        return this with { Metric = metric, Metrics = [.. Metrics.Concat(validated.Where(m => m != metric)).Distinct()] };
    }
}
