using Podium.Config;
using Podium.Ocr;
using Podium.Tracking;
using TorchSharp;

namespace Podium.Runs;

/// <summary>A trained detection run, ready to detect: its config and best checkpoint on the chosen device.</summary>
public static class DetectionRunLoader
{
    /// <param name="adjust">Overrides of the run's detection settings (post-processing, inference size) for this use.</param>
    public static (DbTextDetector Detector, PodiumConfig Config) Load(string runPath, string? device, Func<OcrConfig,
        OcrConfig>? adjust = null, string? tta = null)
    {
        if (Models.Weights.WeightsCatalog.Find(runPath) is { Architecture: Models.Weights.WeightsCatalog.WholeDetector } named)
            return Named(named, device, adjust);
        var run = RunDirectory.Open(runPath);
        var config = ConfigLoader.Load(run.Config);
        if (config.Ocr is null) throw new PodiumException($"{run.Config}: not a text-detection run (no ocr section); train one with " +
            $"podium ocr train");
        if (device is not null) config = config with { Device = device };
        if (adjust is not null) config = config with { Ocr = adjust(config.Ocr) };
        Platform.TorchRuntime.Configure(config.Train.Threads);
        var dev = Platform.DeviceSelector.Resolve(config.Device);
        var checkpoint = run.ModelCheckpoint();
        var views = DbTextDetector.ParseTta(tta); // before the model is built: a typo fails fast
        var model = Models.DbNet.Create(config);
        model.load(checkpoint);
        model.to(dev);
        var normalize = Augment.Pipelines.Val(config).Normalize;
        return (new DbTextDetector(model, normalize, config.Data.Channels, config.Ocr, dev) { Tta = views }, config);
    }

    /// <summary>A named detector as it ships (PaddleOCR's PP-OCRv4): DBNet's default post-processing, its own input statistics.</summary>
    private static (DbTextDetector, PodiumConfig) Named(Models.Weights.PretrainedWeights w, string? device,
        Func<OcrConfig, OcrConfig>? adjust)
    {
        var config = new PodiumConfig { Ocr = new OcrConfig(), Model = new ModelConfig { Pretrained = w.Name } };
        if (device is not null) config = config with { Device = device };
        if (adjust is not null) config = config with { Ocr = adjust(config.Ocr!) };
        Platform.TorchRuntime.Configure(config.Train.Threads);
        var dev = Platform.DeviceSelector.Resolve(config.Device);
        var model = Models.ImportedDbNet.Load(w.Name);
        model.to(dev);
        return (new DbTextDetector(model, new Augment.Normalize(w.Mean, w.Std), 3, config.Ocr!, dev), config);
    }
}
