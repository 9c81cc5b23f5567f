namespace Podium.Config;

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
    /// <summary>Text detection from ICDAR txt folders: points per line (4, ICDAR 2015 quads; 14 for CTW1500), or 0 for any number per
    /// line.</summary>
    public int TextPoints { get; init; } = Data.IcdarText.QuadPoints;
}
