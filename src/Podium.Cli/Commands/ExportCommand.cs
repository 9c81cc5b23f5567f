using System.ComponentModel;
using Podium.Runs;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class ExportCommand : PodiumCommand<ExportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--run <DIR>")]
        [Description("The run whose best checkpoint to export (a classification or text-detection run)")]
        public string Run { get; init; } = "";

        [CommandOption("--format <FORMAT>")]
        [Description("onnx: the network as an ONNX graph (ONNX Runtime, other runtimes); safetensors: its state dict under " +
            "torchvision's or timm's names (PyTorch, the Hugging Face tools)")]
        public string Format { get; init; } = "safetensors";

        [CommandOption("--out <FILE>")]
        [Description("The model file (default RUN/export/model.FORMAT); NAME.json beside it describes the input it expects")]
        public string? Out { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Run.Length == 0) throw new PodiumException("export: --run DIR is required");
        var r = ModelExport.Export(s.Run, s.Format, s.Out);
        Log(F($"{r.Path}: {r.Tensors} tensors ({r.Bytes / 1048576.0:F1} MB)") + (s.Format == "onnx" ? ", ONNX opset " +
            Models.Onnx.OnnxGraph.Opset : $" under {r.Names} names"));
        Log($"{r.Description}: classes, input size, channels and normalisation");
        return 0;
    }
}
