namespace Podium.Config;

// The typed form of a run's YAML config. Key names are the snake_case of the property names
// (YamlDotNet's underscored convention); unknown keys are an error, defaults complete the recipe.

public sealed class PodiumConfig
{
    /// <summary>classification | multi_label | text_detection; when left out, settled from the config (an ocr section, data.multi_label).</summary>
    public string? Task { get; set; }
    public int Seed { get; set; }
    /// <summary>Run name: the run directory is runs/&lt;name&gt; unless --out says otherwise.</summary>
    public string? Name { get; set; }
    /// <summary>auto | cpu | cuda</summary>
    public string Device { get; set; } = "auto";
    /// <summary>A run that repeats bit for bit: CPU only (a fixed thread count and the seeded loader; CUDA's kernels cannot be pinned from TorchSharp).</summary>
    public bool Deterministic { get; set; }
    public DataConfig Data { get; set; } = new();
    public ModelConfig Model { get; set; } = new();
    public TrainConfig Train { get; set; } = new();
    public AugmentConfig Augment { get; set; } = new();
    public SubmissionConfig Submission { get; set; } = new();
    /// <summary>Text detection (DBNet), for podium ocr train: model.name is then the backbone. Null for classification.</summary>
    public OcrConfig? Ocr { get; set; }
}

/// <summary>DBNet's neck, targets, loss weights, post-processing and validation (defaults: the paper's, box threshold 0.6).</summary>
public sealed class OcrConfig
{
    /// <summary>fpn (DBNet's) | unet (concatenating skip connections).</summary>
    public string Neck { get; set; } = "fpn";
    /// <summary>The neck's width (the official 256).</summary>
    public int Inner { get; set; } = 256;
    /// <summary>Momentum of every BatchNorm's running statistics (TorchVision's MobileNetV3 has 0.01, too slow for short runs from scratch).</summary>
    public double BnMomentum { get; set; } = 0.1;
    /// <summary>r in D = A(1 − r²)/L for the probability and threshold targets.</summary>
    public double ShrinkRatio { get; set; } = 0.4;
    /// <summary>Text narrower than this (pixels, as the network sees it) is ignored in training.</summary>
    public double MinTextSize { get; set; } = 8;
    public double BceWeight { get; set; } = 1;
    public double DiceWeight { get; set; } = 1;
    public double L1Weight { get; set; } = 10;
    /// <summary>Hardest negatives per positive pixel in the balanced BCE.</summary>
    public double NegativeRatio { get; set; } = 3;
    /// <summary>Binarization threshold of the probability map.</summary>
    public double Threshold { get; set; } = 0.3;
    /// <summary>Regions whose mean probability is lower are dropped.</summary>
    public double BoxThreshold { get; set; } = 0.6;
    /// <summary>Growth of a kernel back to a text region: D' = A·ratio/L (DBNet: 1.5); 0: the exact inverse of the training shrink.</summary>
    public double UnclipRatio { get; set; } = 1.5;
    /// <summary>Polygons (simplified contours) instead of minimum-area rectangles.</summary>
    public bool Polygons { get; set; }
    /// <summary>Validation and detection size: the long side in pixels, both sides rounded to multiples of 32.</summary>
    public int EvalSize { get; set; } = 960;
    /// <summary>Validate (hmean) every this many epochs; the best checkpoint is chosen among validated epochs.</summary>
    public int EvalEvery { get; set; } = 1;
}

public sealed class DataConfig
{
    /// <summary>An ImageFolder tree, a CSV manifest (path,label) or an MNIST idx images file.</summary>
    public string Train { get; set; } = "";
    /// <summary>Optional separate validation data; otherwise <see cref="ValSplit"/> of train is held out.</summary>
    public string? Val { get; set; }
    /// <summary>A split file written by podium split (a manifest with a fold or subset column): it lists the images and
    /// says which are validation; data.train and val_split are then not used.</summary>
    public string? Split { get; set; }
    /// <summary>With a k-fold split file: the fold used for validation (the others train).</summary>
    public int? Fold { get; set; }
    /// <summary>Fraction of train held out for validation (stratified, seeded).</summary>
    public double ValSplit { get; set; } = 0.2;
    public int ImgSize { get; set; } = 224;
    /// <summary>1 (grayscale) or 3 (RGB); every image is converted to this.</summary>
    public int Channels { get; set; } = 3;
    /// <summary>none, or bbox: crop each image to its manifest box (x,y,w,h or x1,y1,x2,y2 columns) before augmentation.</summary>
    public string Crop { get; set; } = "none";
    /// <summary>crop: bbox widens the box by this fraction of its size on every side (context around the object).</summary>
    public double CropMargin { get; set; } = 0.1;
    /// <summary>auto: mean and std measured on the training images (or read from <see cref="Stats"/>) instead of data.mean/std.</summary>
    public string? Normalize { get; set; }
    /// <summary>normalize: auto reads its statistics from this eda.json (written by podium eda); without it they are measured.</summary>
    public string? Stats { get; set; }
    /// <summary>Per-channel mean and std for normalisation (ImageNet's by default).</summary>
    public double[] Mean { get; set; } = [0.485, 0.456, 0.406];
    public double[] Std { get; set; } = [0.229, 0.224, 0.225];
    /// <summary>Background threads that decode and augment batches.</summary>
    public int Workers { get; set; } = 1;
    /// <summary>Batches prepared ahead of the model (bounded).</summary>
    public int Prefetch { get; set; } = 4;
    /// <summary>Memory for decoded images kept between epochs (MB); 0 decodes every time.</summary>
    public int CacheMb { get; set; } = 2048;
    /// <summary>skip: leave bad files out and say how many; stop: refuse to start.</summary>
    public string OnBadInput { get; set; } = "skip";
    /// <summary>Multi-label classification: a CSV manifest whose label column holds space-separated labels, any number per
    /// image; the model outputs one sigmoid per label, trained with train.loss bce (or focal, per label).</summary>
    public bool MultiLabel { get; set; }
    /// <summary>Text detection from ICDAR txt folders: points per line (4, ICDAR 2015 quads; 14 for CTW1500), or 0 for any number per line.</summary>
    public int TextPoints { get; set; } = Ocr.IcdarText.QuadPoints;
}

public sealed class ModelConfig
{
    public string Name { get; set; } = "resnet18";
    /// <summary>Weights to start from: a PyTorch .pth/.pt state dict (torchvision/timm names) or a .safetensors file.</summary>
    public string? Pretrained { get; set; }
    /// <summary>The classification head; default: the backbone's own linear layer.</summary>
    public HeadConfig? Head { get; set; }
    /// <summary>Stochastic depth: the drop rate of the deepest residual block, growing linearly from 0 (EfficientNet, ConvNeXt, ViT, CoAtNet).</summary>
    public double DropPath { get; set; }
    /// <summary>Dropout before the classifier of Podium's own backbones (default: EfficientNet's 0.2–0.3, others 0).</summary>
    public double? DropRate { get; set; }
    /// <summary>none (fine-tune everything) or backbone (feature extraction: only the head trains, until unfreeze says otherwise).</summary>
    public string Freeze { get; set; } = "none";
    /// <summary>Gradual unfreezing: from each entry's epoch on, parameters whose names match its pattern train too.</summary>
    public List<UnfreezeStep> Unfreeze { get; set; } = [];
}

public sealed class UnfreezeStep
{
    /// <summary>The first epoch (1-based) these parameters train in.</summary>
    public int Epoch { get; set; }
    /// <summary>A regex on parameter names (default: every parameter).</summary>
    public string Pattern { get; set; } = ".*";
}

public sealed class HeadConfig
{
    /// <summary>linear | msd (multi-sample dropout) | cosine (embedding + normalised class centres, for arcface/cosface losses)</summary>
    public string Type { get; set; } = "linear";
    /// <summary>linear, msd: dropout probability before the linear layer (msd default 0.5).</summary>
    public double Dropout { get; set; }
    /// <summary>msd: dropout masks averaged per step.</summary>
    public int Samples { get; set; } = 5;
    /// <summary>cosine: embedding width.</summary>
    public int Embedding { get; set; } = 512;
    /// <summary>cosine: logits are scale · cos θ (ArcFace's s).</summary>
    public double Scale { get; set; } = 30;
}

public sealed class TrainConfig
{
    public int Epochs { get; set; } = 10;
    public int BatchSize { get; set; } = 64;
    /// <summary>Drop the last incomplete training batch (BatchNorm dislikes tiny batches).</summary>
    public bool DropLast { get; set; } = true;
    public SamplerConfig Sampler { get; set; } = new();
    public OptimizerConfig Optimizer { get; set; } = new();
    public SchedulerConfig Scheduler { get; set; } = new();
    public LossConfig Loss { get; set; } = new();
    /// <summary>The competition metric (accuracy, f1_macro, kappa_quadratic, roc_auc, log_loss, ...): computed on validation every epoch as val_NAME.</summary>
    public string Metric { get; set; } = "accuracy";
    /// <summary>More validation metrics to log every epoch.</summary>
    public List<string> Metrics { get; set; } = [];
    /// <summary>What picks the best checkpoint, early stopping and plateau schedules watch: val_METRIC (default the competition metric), val_loss or train_loss.</summary>
    public string? Monitor { get; set; }
    /// <summary>train.monitor, or val_ + the competition metric when it is not set.</summary>
    public string MonitorName() => Monitor ?? "val_" + Metric;
    /// <summary>Threads for libtorch's own kernels; 0 = all cores.</summary>
    public int Threads { get; set; }
    /// <summary>Gradient accumulation: one optimizer update per this many batches (an effective batch of batch_size × accumulate).</summary>
    public int Accumulate { get; set; } = 1;
    public ClipConfig ClipGrad { get; set; } = new();
    /// <summary>fp32 | bf16 (fast on CPUs with AVX512-BF16/AMX and on recent GPUs) | fp16 (CUDA, with dynamic loss scaling). Master weights stay fp32.</summary>
    public string Precision { get; set; } = "fp32";
    /// <summary>Hand convolutions NHWC-strided activations (faster with oneDNN on CPU and tensor cores on GPU).</summary>
    public bool ChannelsLast { get; set; }
    /// <summary>Model EMA: validate and checkpoint an exponential moving average of the weights (off without decay).</summary>
    public EmaConfig Ema { get; set; } = new();
    /// <summary>Stop when train.monitor has not improved for patience epochs (off without patience).</summary>
    public EarlyStoppingConfig EarlyStopping { get; set; } = new();
    /// <summary>Divergence guard: stop when the smoothed loss exceeds this many times its best (0 = only NaN/inf stop).</summary>
    public double DivergenceFactor { get; set; } = 20;
}

/// <summary>Gradient clipping before each update: by total norm (PyTorch's clip_grad_norm_) and/or by value.</summary>
public sealed class ClipConfig
{
    public double? Norm { get; set; }
    public double? Value { get; set; }
}

public sealed class EmaConfig
{
    /// <summary>e.g. 0.999 (a few thousand updates) to 0.9999 (long runs); null = off.</summary>
    public double? Decay { get; set; }
    /// <summary>Ramp the decay as min(decay, (1 + n)/(10 + n)) over the first updates.</summary>
    public bool Warmup { get; set; } = true;
}

public sealed class EarlyStoppingConfig
{
    /// <summary>Epochs without improvement tolerated; null = no early stopping.</summary>
    public int? Patience { get; set; }
    /// <summary>An improvement smaller than this (absolute) does not count.</summary>
    public double MinDelta { get; set; }
}

/// <summary>How training batches are drawn: the first remedy for class imbalance.</summary>
public sealed class SamplerConfig
{
    /// <summary>random (each image once per epoch) | weighted (draws ∝ class count^-power, with replacement) | balanced (equal classes in every batch)</summary>
    public string Name { get; set; } = "random";
    /// <summary>weighted: 1 balances the classes, 0.5 goes halfway, 0 is plain random with replacement.</summary>
    public double Power { get; set; } = 1.0;
}

public sealed class OptimizerConfig
{
    /// <summary>sgd | adam | adamw | radam | nadam | rmsprop | lion</summary>
    public string Name { get; set; } = "adamw";
    public double Lr { get; set; } = 1e-3;
    public double WeightDecay { get; set; } = 0.01;
    /// <summary>SGD momentum.</summary>
    public double Momentum { get; set; } = 0.9;
    public bool Nesterov { get; set; }
    /// <summary>AdamW betas.</summary>
    public double[] Betas { get; set; } = [0.9, 0.999];
    public double Eps { get; set; } = 1e-8;
    /// <summary>RMSprop: the squared-gradient average's smoothing constant.</summary>
    public double Alpha { get; set; } = 0.99;
    /// <summary>NAdam: momentum decay.</summary>
    public double MomentumDecay { get; set; } = 4e-3;
    /// <summary>false: biases and normalisation weights (every 1-D parameter) get no weight decay, as timm does.</summary>
    public bool DecayNormAndBias { get; set; } = true;
    /// <summary>The backbone's lr is lr × this (discriminative learning rates for fine-tuning); the head keeps lr.</summary>
    public double BackboneLrScale { get; set; } = 1.0;
    /// <summary>A regex on parameter names for the head (default: the model's classifier, e.g. fc. for ResNets).</summary>
    public string? Head { get; set; }
}

public sealed class SchedulerConfig
{
    /// <summary>onecycle | cosine | constant | step | multistep | exponential | polynomial | plateau</summary>
    public string Name { get; set; } = "onecycle";
    /// <summary>step (every optimizer step) or epoch; default epoch for step, multistep, exponential and plateau, else step.
    /// The schedule's counts (step_size, milestones, cycle) are in this unit.</summary>
    public string? Interval { get; set; }
    /// <summary>Linear warm-up as a fraction of the run (one-cycle's pct_start; default 0.3 for onecycle, 0 otherwise).</summary>
    public double? Warmup { get; set; }
    /// <summary>One-cycle: initial lr = lr / div_factor.</summary>
    public double DivFactor { get; set; } = 25;
    /// <summary>One-cycle: final lr = initial lr / final_div_factor.</summary>
    public double FinalDivFactor { get; set; } = 1e4;
    /// <summary>One-cycle: cycle momentum (SGD) or beta1 (Adam family) inversely to the lr, as PyTorch does.</summary>
    public bool CycleMomentum { get; set; } = true;
    public double BaseMomentum { get; set; } = 0.85;
    public double MaxMomentum { get; set; } = 0.95;
    /// <summary>Cosine and polynomial: the lr they decay to; plateau: the lowest lr.</summary>
    public double MinLr { get; set; }
    /// <summary>Cosine with restarts (SGDR): the first cycle's length in intervals (none: one decay over the run)...</summary>
    public long? Cycle { get; set; }
    /// <summary>...and how much longer each next cycle is (T_mult).</summary>
    public double CycleMult { get; set; } = 1;
    /// <summary>step: decay every step_size intervals.</summary>
    public int StepSize { get; set; } = 10;
    /// <summary>step, multistep, exponential: the decay factor.</summary>
    public double Gamma { get; set; } = 0.1;
    /// <summary>multistep: the intervals at which the lr is multiplied by gamma.</summary>
    public int[] Milestones { get; set; } = [];
    /// <summary>polynomial: the exponent (1 = linear).</summary>
    public double Power { get; set; } = 1;
    /// <summary>plateau: the logged metric it watches (default train.monitor): val_loss, val_accuracy, val_f1_macro or train_loss.</summary>
    public string? Metric { get; set; }
    /// <summary>plateau: min or max (default: min for losses, max otherwise).</summary>
    public string? Mode { get; set; }
    public double Factor { get; set; } = 0.1;
    public int Patience { get; set; } = 10;
    /// <summary>plateau: a relative improvement smaller than this does not count.</summary>
    public double Threshold { get; set; } = 1e-4;
    public int Cooldown { get; set; }
}

public sealed class LossConfig
{
    /// <summary>cross_entropy | focal | soft_f1 | bce | dice | bce_dice | sum (of terms)</summary>
    public string Name { get; set; } = "cross_entropy";
    /// <summary>focal: the focusing exponent γ.</summary>
    public double Gamma { get; set; } = 2.0;
    /// <summary>dice, bce_dice: the smoothing term of the Dice ratio.</summary>
    public double Smooth { get; set; } = 1.0;
    /// <summary>sum: the terms, each a loss with its weight.</summary>
    public List<LossConfig> Terms { get; set; } = [];
    /// <summary>arcface (additive angle, radians) and cosface (subtracted cosine): the margin m.</summary>
    public double Margin { get; set; } = 0.5;
    /// <summary>This loss's weight as a term of a sum.</summary>
    public double Weight { get; set; } = 1.0;
    public double LabelSmoothing { get; set; }
    /// <summary>Per-class loss weights: none, balanced (n / (K · n_c), scikit-learn's), or a list, one per class.</summary>
    public object ClassWeights { get; set; } = "none";
    /// <summary>balanced: the weights are raised to this power (0.5 softens them).</summary>
    public double ClassWeightPower { get; set; } = 1.0;
}

public sealed class AugmentConfig
{
    /// <summary>Training pipeline: a list of {transform_name: {params}} or bare transform names.</summary>
    public List<object> Train { get; set; } = [];
    /// <summary>Validation/prediction pipeline; default: resize to img_size without cropping.</summary>
    public List<object> Val { get; set; } = [];
    /// <summary>Test-time views for prediction: each a transform (or a list of them) applied after the val pipeline; probabilities are averaged with the plain view's.</summary>
    public List<object> Tta { get; set; } = [];
    /// <summary>Batch-level MixUp / CutMix with label mixing (off unless an alpha is set).</summary>
    public BatchAugmentConfig Batch { get; set; } = new();
}

/// <summary>timm's Mixup arguments.</summary>
public sealed class BatchAugmentConfig
{
    public double MixupAlpha { get; set; }
    public double CutmixAlpha { get; set; }
    /// <summary>Probability that a batch is mixed at all.</summary>
    public double Prob { get; set; } = 1.0;
    /// <summary>With both alphas set: probability of CutMix rather than MixUp.</summary>
    public double SwitchProb { get; set; } = 0.5;
}

public sealed class SubmissionConfig
{
    public string IdColumn { get; set; } = "id";
    public string LabelColumn { get; set; } = "label";
    /// <summary>How ids are written: stem (file name without extension), filename, or path (relative to the input).</summary>
    public string IdStyle { get; set; } = "stem";
}
