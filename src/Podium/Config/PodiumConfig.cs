namespace Podium.Config;

// The typed form of a run's YAML config. Key names are the snake_case of the property names
// (YamlDotNet's underscored convention); unknown keys are an error, defaults complete the recipe.
// Every section is an immutable record: a changed config is a new one (`with`), made by one resolve step
// (Runs.ConfigResolver) before a run uses it and saves it; nothing edits a config after that.

public sealed record PodiumConfig
{
    /// <summary>classification | multi_label | text_detection; when left out, settled from the config (an ocr section, data.multi_label).</summary>
    public string? Task { get; init; }
    public int Seed { get; init; }
    /// <summary>Run name: the run directory is runs/&lt;name&gt; unless --out says otherwise.</summary>
    public string? Name { get; init; }
    /// <summary>auto | cpu | cuda</summary>
    public string Device { get; init; } = "auto";
    /// <summary>A run that repeats bit for bit: CPU only (a fixed thread count and the seeded loader; CUDA's kernels cannot be pinned from TorchSharp).</summary>
    public bool Deterministic { get; init; }
    public DataConfig Data { get; init; } = new();
    public ModelConfig Model { get; init; } = new();
    public TrainConfig Train { get; init; } = new();
    public AugmentConfig Augment { get; init; } = new();
    public SubmissionConfig Submission { get; init; } = new();
    /// <summary>Text detection (DBNet), for podium ocr train: model.name is then the backbone. Null for classification.</summary>
    public OcrConfig? Ocr { get; init; }
}

/// <summary>DBNet's neck, targets, loss weights, post-processing and validation (defaults: the paper's, box threshold 0.6).</summary>
public sealed record OcrConfig
{
    /// <summary>fpn (DBNet's) | unet (concatenating skip connections).</summary>
    public string Neck { get; init; } = "fpn";
    /// <summary>The neck's width (the official 256).</summary>
    public int Inner { get; init; } = 256;
    /// <summary>Momentum of every BatchNorm's running statistics (TorchVision's MobileNetV3 has 0.01, too slow for short runs from scratch).</summary>
    public double BnMomentum { get; init; } = 0.1;
    /// <summary>r in D = A(1 − r²)/L for the probability and threshold targets.</summary>
    public double ShrinkRatio { get; init; } = 0.4;
    /// <summary>Text narrower than this (pixels, as the network sees it) is ignored in training.</summary>
    public double MinTextSize { get; init; } = 8;
    public double BceWeight { get; init; } = 1;
    public double DiceWeight { get; init; } = 1;
    public double L1Weight { get; init; } = 10;
    /// <summary>Hardest negatives per positive pixel in the balanced BCE.</summary>
    public double NegativeRatio { get; init; } = 3;
    /// <summary>Binarization threshold of the probability map.</summary>
    public double Threshold { get; init; } = 0.3;
    /// <summary>Regions whose mean probability is lower are dropped.</summary>
    public double BoxThreshold { get; init; } = 0.6;
    /// <summary>Growth of a kernel back to a text region: D' = A·ratio/L (DBNet: 1.5); 0: the exact inverse of the training shrink.</summary>
    public double UnclipRatio { get; init; } = 1.5;
    /// <summary>Polygons (simplified contours) instead of minimum-area rectangles.</summary>
    public bool Polygons { get; init; }
    /// <summary>Validation and detection size: the long side in pixels, both sides rounded to multiples of 32.</summary>
    public int EvalSize { get; init; } = 960;
    /// <summary>Validate (hmean) every this many epochs; the best checkpoint is chosen among validated epochs.</summary>
    public int EvalEvery { get; init; } = 1;
}

public sealed record DataConfig
{
    /// <summary>An ImageFolder tree, a CSV manifest (path,label) or an MNIST idx images file.</summary>
    public string Train { get; init; } = "";
    /// <summary>Optional separate validation data; otherwise <see cref="ValSplit"/> of train is held out.</summary>
    public string? Val { get; init; }
    /// <summary>A split file written by podium split (a manifest with a fold or subset column): it lists the images and
    /// says which are validation; data.train and val_split are then not used.</summary>
    public string? Split { get; init; }
    /// <summary>With a k-fold split file: the fold used for validation (the others train).</summary>
    public int? Fold { get; init; }
    /// <summary>Fraction of train held out for validation (stratified, seeded).</summary>
    public double ValSplit { get; init; } = 0.2;
    public int ImgSize { get; init; } = 224;
    /// <summary>1 (grayscale) or 3 (RGB); every image is converted to this.</summary>
    public int Channels { get; init; } = 3;
    /// <summary>none, or bbox: crop each image to its manifest box (x,y,w,h or x1,y1,x2,y2 columns) before augmentation.</summary>
    public string Crop { get; init; } = "none";
    /// <summary>crop: bbox widens the box by this fraction of its size on every side (context around the object).</summary>
    public double CropMargin { get; init; } = 0.1;
    /// <summary>auto: mean and std measured on the training images (or read from <see cref="Stats"/>) instead of data.mean/std.</summary>
    public string? Normalize { get; init; }
    /// <summary>normalize: auto reads its statistics from this eda.json (written by podium eda); without it they are measured.</summary>
    public string? Stats { get; init; }
    /// <summary>Per-channel mean and std for normalisation (ImageNet's by default).</summary>
    public double[] Mean { get; init; } = [0.485, 0.456, 0.406];
    public double[] Std { get; init; } = [0.229, 0.224, 0.225];
    /// <summary>Background threads that decode and augment batches.</summary>
    public int Workers { get; init; } = 1;
    /// <summary>Batches prepared ahead of the model (bounded).</summary>
    public int Prefetch { get; init; } = 4;
    /// <summary>Memory for decoded images kept between epochs (MB); 0 decodes every time.</summary>
    public int CacheMb { get; init; } = 2048;
    /// <summary>skip: leave bad files out and say how many; stop: refuse to start.</summary>
    public string OnBadInput { get; init; } = "skip";
    /// <summary>Multi-label classification: a CSV manifest whose label column holds space-separated labels, any number per
    /// image; the model outputs one sigmoid per label, trained with train.loss bce (or focal, per label).</summary>
    public bool MultiLabel { get; init; }
    /// <summary>Text detection from ICDAR txt folders: points per line (4, ICDAR 2015 quads; 14 for CTW1500), or 0 for any number per line.</summary>
    public int TextPoints { get; init; } = Ocr.IcdarText.QuadPoints;
}

public sealed record ModelConfig
{
    /// <summary>model.pretrained: hf-hub:ORG/NAME fetches weights from the Hugging Face hub (on request only).</summary>
    public const string HubPrefix = "hf-hub:";

    public string Name { get; init; } = "resnet18";
    /// <summary>Weights to start from: a PyTorch .pth/.pt state dict (torchvision/timm names) or a .safetensors file.</summary>
    public string? Pretrained { get; init; }
    /// <summary>The classification head; default: the backbone's own linear layer.</summary>
    public HeadConfig? Head { get; init; }
    /// <summary>Stochastic depth: the drop rate of the deepest residual block, growing linearly from 0 (EfficientNet, ConvNeXt, ViT, CoAtNet).</summary>
    public double DropPath { get; init; }
    /// <summary>Dropout before the classifier of Podium's own backbones (default: EfficientNet's 0.2–0.3, others 0).</summary>
    public double? DropRate { get; init; }
    /// <summary>none (fine-tune everything) or backbone (feature extraction: only the head trains, until unfreeze says otherwise).</summary>
    public string Freeze { get; init; } = "none";
    /// <summary>Gradual unfreezing: from each entry's epoch on, parameters whose names match its pattern train too.</summary>
    public IReadOnlyList<UnfreezeStep> Unfreeze { get; init; } = [];
}

public sealed record UnfreezeStep
{
    /// <summary>The first epoch (1-based) these parameters train in.</summary>
    public int Epoch { get; init; }
    /// <summary>A regex on parameter names (default: every parameter).</summary>
    public string Pattern { get; init; } = ".*";
}

public sealed record HeadConfig
{
    /// <summary>linear | msd (multi-sample dropout) | cosine (embedding + normalised class centres, for arcface/cosface losses)</summary>
    public string Type { get; init; } = "linear";
    /// <summary>linear, msd: dropout probability before the linear layer (msd default 0.5).</summary>
    public double Dropout { get; init; }
    /// <summary>msd: dropout masks averaged per step.</summary>
    public int Samples { get; init; } = 5;
    /// <summary>cosine: embedding width.</summary>
    public int Embedding { get; init; } = 512;
    /// <summary>cosine: logits are scale · cos θ (ArcFace's s).</summary>
    public double Scale { get; init; } = 30;
}

public sealed record TrainConfig
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 64;
    /// <summary>Drop the last incomplete training batch (BatchNorm dislikes tiny batches).</summary>
    public bool DropLast { get; init; } = true;
    public SamplerConfig Sampler { get; init; } = new();
    public OptimizerConfig Optimizer { get; init; } = new();
    public SchedulerConfig Scheduler { get; init; } = new();
    public LossConfig Loss { get; init; } = new();
    /// <summary>The competition metric (accuracy, f1_macro, kappa_quadratic, roc_auc, log_loss, ...): computed on validation every epoch as val_NAME.</summary>
    public string Metric { get; init; } = "accuracy";
    /// <summary>More validation metrics to log every epoch.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];
    /// <summary>What picks the best checkpoint, early stopping and plateau schedules watch: val_METRIC (default the competition metric), val_loss or train_loss.</summary>
    public string? Monitor { get; init; }
    /// <summary>train.monitor, or val_ + the competition metric when it is not set.</summary>
    public string MonitorName() => Monitor ?? "val_" + Metric;
    /// <summary>Threads for libtorch's own kernels; 0 = all cores.</summary>
    public int Threads { get; init; }
    /// <summary>Gradient accumulation: one optimizer update per this many batches (an effective batch of batch_size × accumulate).</summary>
    public int Accumulate { get; init; } = 1;
    public ClipConfig ClipGrad { get; init; } = new();
    /// <summary>fp32 | bf16 (fast on CPUs with AVX512-BF16/AMX and on recent GPUs) | fp16 (CUDA, with dynamic loss scaling). Master weights stay fp32.</summary>
    public string Precision { get; init; } = "fp32";
    /// <summary>Hand convolutions NHWC-strided activations (faster with oneDNN on CPU and tensor cores on GPU).</summary>
    public bool ChannelsLast { get; init; }
    /// <summary>Model EMA: validate and checkpoint an exponential moving average of the weights (off without decay).</summary>
    public EmaConfig Ema { get; init; } = new();
    /// <summary>Stop when train.monitor has not improved for patience epochs (off without patience).</summary>
    public EarlyStoppingConfig EarlyStopping { get; init; } = new();
    /// <summary>Divergence guard: stop when the smoothed loss exceeds this many times its best (0 = only NaN/inf stop).</summary>
    public double DivergenceFactor { get; init; } = 20;
}

/// <summary>Gradient clipping before each update: by total norm (PyTorch's clip_grad_norm_) and/or by value.</summary>
public sealed record ClipConfig
{
    public double? Norm { get; init; }
    public double? Value { get; init; }
}

public sealed record EmaConfig
{
    /// <summary>e.g. 0.999 (a few thousand updates) to 0.9999 (long runs); null = off.</summary>
    public double? Decay { get; init; }
    /// <summary>Ramp the decay as min(decay, (1 + n)/(10 + n)) over the first updates.</summary>
    public bool Warmup { get; init; } = true;
}

public sealed record EarlyStoppingConfig
{
    /// <summary>Epochs without improvement tolerated; null = no early stopping.</summary>
    public int? Patience { get; init; }
    /// <summary>An improvement smaller than this (absolute) does not count.</summary>
    public double MinDelta { get; init; }
}

/// <summary>How training batches are drawn: the first remedy for class imbalance.</summary>
public sealed record SamplerConfig
{
    /// <summary>random (each image once per epoch) | weighted (draws ∝ class count^-power, with replacement) | balanced (equal classes in every batch)</summary>
    public string Name { get; init; } = "random";
    /// <summary>weighted: 1 balances the classes, 0.5 goes halfway, 0 is plain random with replacement.</summary>
    public double Power { get; init; } = 1.0;
}

public sealed record OptimizerConfig
{
    /// <summary>sgd | adam | adamw | radam | nadam | rmsprop | lion</summary>
    public string Name { get; init; } = "adamw";
    public double Lr { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; }
    /// <summary>AdamW betas.</summary>
    public double[] Betas { get; init; } = [0.9, 0.999];
    public double Eps { get; init; } = 1e-8;
    /// <summary>RMSprop: the squared-gradient average's smoothing constant.</summary>
    public double Alpha { get; init; } = 0.99;
    /// <summary>NAdam: momentum decay.</summary>
    public double MomentumDecay { get; init; } = 4e-3;
    /// <summary>false: biases and normalisation weights (every 1-D parameter) get no weight decay, as timm does.</summary>
    public bool DecayNormAndBias { get; init; } = true;
    /// <summary>The backbone's lr is lr × this (discriminative learning rates for fine-tuning); the head keeps lr.</summary>
    public double BackboneLrScale { get; init; } = 1.0;
    /// <summary>A regex on parameter names for the head (default: the model's classifier, e.g. fc. for ResNets).</summary>
    public string? Head { get; init; }
}

public sealed record SchedulerConfig
{
    /// <summary>onecycle | cosine | constant | step | multistep | exponential | polynomial | plateau</summary>
    public string Name { get; init; } = "onecycle";
    /// <summary>step (every optimizer step) or epoch; default epoch for step, multistep, exponential and plateau, else step.
    /// The schedule's counts (step_size, milestones, cycle) are in this unit.</summary>
    public string? Interval { get; init; }
    /// <summary>Linear warm-up as a fraction of the run (one-cycle's pct_start; default 0.3 for onecycle, 0 otherwise).</summary>
    public double? Warmup { get; init; }
    /// <summary>One-cycle: initial lr = lr / div_factor.</summary>
    public double DivFactor { get; init; } = 25;
    /// <summary>One-cycle: final lr = initial lr / final_div_factor.</summary>
    public double FinalDivFactor { get; init; } = 1e4;
    /// <summary>One-cycle: cycle momentum (SGD) or beta1 (Adam family) inversely to the lr, as PyTorch does.</summary>
    public bool CycleMomentum { get; init; } = true;
    public double BaseMomentum { get; init; } = 0.85;
    public double MaxMomentum { get; init; } = 0.95;
    /// <summary>Cosine and polynomial: the lr they decay to; plateau: the lowest lr.</summary>
    public double MinLr { get; init; }
    /// <summary>Cosine with restarts (SGDR): the first cycle's length in intervals (none: one decay over the run)...</summary>
    public long? Cycle { get; init; }
    /// <summary>...and how much longer each next cycle is (T_mult).</summary>
    public double CycleMult { get; init; } = 1;
    /// <summary>step: decay every step_size intervals.</summary>
    public int StepSize { get; init; } = 10;
    /// <summary>step, multistep, exponential: the decay factor.</summary>
    public double Gamma { get; init; } = 0.1;
    /// <summary>multistep: the intervals at which the lr is multiplied by gamma.</summary>
    public int[] Milestones { get; init; } = [];
    /// <summary>polynomial: the exponent (1 = linear).</summary>
    public double Power { get; init; } = 1;
    /// <summary>plateau: the logged metric it watches (default train.monitor): val_loss, val_accuracy, val_f1_macro or train_loss.</summary>
    public string? Metric { get; init; }
    /// <summary>plateau: min or max (default: min for losses, max otherwise).</summary>
    public string? Mode { get; init; }
    public double Factor { get; init; } = 0.1;
    public int Patience { get; init; } = 10;
    /// <summary>plateau: a relative improvement smaller than this does not count.</summary>
    public double Threshold { get; init; } = 1e-4;
    public int Cooldown { get; init; }
}

public sealed record LossConfig
{
    /// <summary>cross_entropy | focal | soft_f1 | bce | dice | bce_dice | sum (of terms)</summary>
    public string Name { get; init; } = "cross_entropy";
    /// <summary>focal: the focusing exponent γ.</summary>
    public double Gamma { get; init; } = 2.0;
    /// <summary>dice, bce_dice: the smoothing term of the Dice ratio.</summary>
    public double Smooth { get; init; } = 1.0;
    /// <summary>sum: the terms, each a loss with its weight.</summary>
    public IReadOnlyList<LossConfig> Terms { get; init; } = [];
    /// <summary>arcface (additive angle, radians) and cosface (subtracted cosine): the margin m.</summary>
    public double Margin { get; init; } = 0.5;
    /// <summary>This loss's weight as a term of a sum.</summary>
    public double Weight { get; init; } = 1.0;
    public double LabelSmoothing { get; init; }
    /// <summary>Per-class loss weights: none, balanced (n / (K · n_c), scikit-learn's), or a list, one per class.</summary>
    public object ClassWeights { get; init; } = "none";
    /// <summary>balanced: the weights are raised to this power (0.5 softens them).</summary>
    public double ClassWeightPower { get; init; } = 1.0;
}

public sealed record AugmentConfig
{
    /// <summary>Training pipeline: a list of {transform_name: {params}} or bare transform names.</summary>
    public IReadOnlyList<object> Train { get; init; } = [];
    /// <summary>Validation/prediction pipeline; default: resize to img_size without cropping.</summary>
    public IReadOnlyList<object> Val { get; init; } = [];
    /// <summary>Test-time views for prediction: each a transform (or a list of them) applied after the val pipeline; probabilities are averaged with the plain view's.</summary>
    public IReadOnlyList<object> Tta { get; init; } = [];
    /// <summary>Batch-level MixUp / CutMix with label mixing (off unless an alpha is set).</summary>
    public BatchAugmentConfig Batch { get; init; } = new();
}

/// <summary>timm's Mixup arguments.</summary>
public sealed record BatchAugmentConfig
{
    public double MixupAlpha { get; init; }
    public double CutmixAlpha { get; init; }
    /// <summary>Probability that a batch is mixed at all.</summary>
    public double Prob { get; init; } = 1.0;
    /// <summary>With both alphas set: probability of CutMix rather than MixUp.</summary>
    public double SwitchProb { get; init; } = 0.5;
}

public sealed record SubmissionConfig
{
    public string IdColumn { get; init; } = "id";
    public string LabelColumn { get; init; } = "label";
    /// <summary>How ids are written: stem (file name without extension), filename, or path (relative to the input).</summary>
    public string IdStyle { get; init; } = "stem";
}
