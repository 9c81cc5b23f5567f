using Podium.Config;
using Podium.Models;
using Podium.Ocr;
using Podium.Tasks.Recognition;
using Podium.Tracking;
using TorchSharp;

namespace Podium.Runs;

/// <summary>A trained recognition run, ready to read lines: its config, characters and best checkpoint on the chosen device.</summary>
public static class RecognitionRunLoader
{
    /// <param name="runPath">A run folder, or a named recogniser (ppocrv4-rec) to read with as it ships.</param>
    /// <param name="lexicon">Readings limited to these entries (<see cref="TextRecognizer.Lexicon"/>).</param>
    /// <param name="accept">A rule the beam decoder's reading must pass (<see cref="TextRecognizer.Accept"/>).</param>
    public static (TextRecognizer Recognizer, PodiumConfig Config) Load(string runPath, string? device, int? beamWidth = null,
        Lexicon? lexicon = null, Func<string, bool>? accept = null)
    {
        var named = Recognisers.Imports(runPath) && Models.Weights.WeightsCatalog.Find(runPath) is not null;
        var run = named ? null : RunDirectory.Open(runPath);
        // A named recogniser reads as it ships: its own characters and height.
        var config = run is null ? Tasks.TaskRegistry.Get("text_recognition").Resolve(new PodiumConfig
        {
            Rec = new RecognitionConfig(),
            Model = new ModelConfig { Pretrained = runPath },
        }, runPath) : ConfigLoader.Load(run.Config);
        var source = run?.Config ?? runPath;
        if (config.Rec is null)
            throw new PodiumException($"{source}: not a text-recognition run (task {Tasks.TaskRegistry.NameFor(config)}, no rec " +
                $"section); give a run trained by podium ocr train with a rec section");
        if (device is not null) config = config with { Device = device };
        Platform.TorchRuntime.Configure(config.Train.Threads);
        var dev = Platform.DeviceSelector.Resolve(config.Device);
        var characters = TextRecognitionRun.Charset(config, null);
        var model = Recognisers.Create(config, characters.Classes);
        if (run is not null) model.load(run.ModelCheckpoint());
        model.to(dev);
        var rec = config.Rec;
        var recognizer = new TextRecognizer(model, characters, rec.Height, rec.MaxWidth, dev)
        {
            BeamWidth = beamWidth ?? rec.BeamWidth,
            Lexicon = lexicon,
            Accept = accept,
        };
        return (recognizer, config);
    }
}
