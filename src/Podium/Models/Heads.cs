using Podium.Config;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>Classification heads over a backbone's pooled features (model.head).</summary>
public static class Heads
{
    public static readonly string[] Types = ["linear", "msd", "cosine"];

    public static Module<Tensor, Tensor> Create(HeadConfig c, long features, int classes) => c.Type switch
    {
        "linear" => c.Dropout > 0 ? Sequential(Dropout(c.Dropout), Linear(features, classes)) : Linear(features, classes),
        "msd" => new MultiSampleDropoutHead(features, classes, c.Dropout > 0 ? c.Dropout : 0.5, c.Samples),
        "cosine" => new CosineHead(features, classes, c.Embedding, c.Scale),
        _ => throw new ConfigException($"model.head.type: unknown head '{c.Type}' ({string.Join(", ", Types)})"),
    };
}
