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
        var normalize = Augment.Pipelines.Build(config, config.Augment.Val, "augment.val").Normalize;
        return (new DbTextDetector(model, normalize, config.Data.Channels, config.Ocr, dev) { Tta = views }, config);
    }
}
