// Loader benchmark: Podium's BatchLoader (background threads, bounded prefetch) against
// TorchSharp's own DataLoader (batches made when asked), both feeding the same resnet18 training
// steps on the same flowers images and pipeline. Prints the time the model waited for data.
//   dotnet run -c Release --project bench/LoaderBench [-- STEPS]
using System.Diagnostics;
using Podium.Config;
using Podium.Data;
using Podium.Models;
using Podium.Platform;
using Podium.Tasks.Classification;
using TorchSharp;
using static TorchSharp.torch;

int steps = args.Length > 0 ? int.Parse(args[0]) : 20;
var root = AppContext.BaseDirectory;
while (!File.Exists(Path.Combine(root, "Podium.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
var loaded = ConfigLoader.Load(Path.Combine(root, "configs", "flowers_resnet18.yaml"));
// Both loaders decode every image.
var config = loaded with { Data = loaded.Data with { Train = Path.Combine(root, "..", "shared", "datasets", "flowers"), CacheMb = 0 } };
TorchRuntime.Configure(0);
var setup = DataSetup.Prepare(config);

double Train(Func<IEnumerable<(Tensor X, Tensor Y)>> batches, string name)
{
    manual_seed(0);
    var model = ModelRegistry.Create("resnet18", setup.Classes.Count);
    var opt = optim.AdamW(model.parameters(), 0.002);
    double waited = 0, total = 0;
    int n = 0;
    var clock = Stopwatch.StartNew();
    var wait = Stopwatch.StartNew();
    foreach (var (x, y) in batches())
    {
        waited += wait.Elapsed.TotalSeconds;
        using (NewDisposeScope())
        {
            var loss = nn.functional.cross_entropy(model.forward(x), y);
            opt.zero_grad();
            loss.backward();
            opt.step();
        }
        x.Dispose();
        y.Dispose();
        if (++n == steps) break;
        wait.Restart();
    }
    total = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"{name,-26} {steps} steps: {total / steps * 1000,7:F0} ms/step, waiting for data {waited / steps * 1000,6:F1} " +
        $"ms/step ({waited / total:P1})");
    return total;
}

var podium = setup.TrainLoader(config, Collators.Labels);
IEnumerable<(Tensor, Tensor)> PodiumBatches()
{
    foreach (var b in podium.Epoch(1))
    {
        var x = tensor(b.Pixels, b.Shape);
        podium.Recycle(b);
        yield return (x, tensor(b.Labels));
    }
}

var adapter = new PipelineDataset(setup, config);
IEnumerable<(Tensor, Tensor)> TorchSharpBatches()
{
    using var loader = new TorchSharp.Modules.DataLoader(adapter, config.Train.BatchSize, shuffle: true, seed: 0, num_worker: 1,
        drop_last: true);
    foreach (var b in loader) yield return (b["x"], b["y"]);
}

Console.WriteLine($"flowers, resnet18, batch {config.Train.BatchSize}, {config.Data.ImgSize}px, {Environment.ProcessorCount} cores, " +
    $"torch threads {get_num_threads()}");
double a = Train(TorchSharpBatches, "TorchSharp DataLoader");
double b = Train(PodiumBatches, "Podium BatchLoader");
Console.WriteLine($"Podium / TorchSharp wall time: {b / a:F3}");

/// <summary>The same decode + pipeline as Podium's loader, behind TorchSharp's Dataset interface.</summary>
sealed class PipelineDataset(DataSetup setup, PodiumConfig config) : torch.utils.data.Dataset
{
    public override long Count => setup.Train.Count;

    public override Dictionary<string, Tensor> GetTensor(long index)
    {
        int i = (int)index;
        var p = setup.TrainPipeline;
        var pixels = new float[config.Data.Channels * p.Height * p.Width];
        p.Run(setup.Train.Read(i, config.Data.Channels), new Random(Seeds.For(config.Seed, 1, i)), pixels);
        return new()
        {
            ["x"] = tensor(pixels, new long[] { config.Data.Channels, p.Height, p.Width }),
            ["y"] = tensor((long)setup.Train.Label(i))
        };
    }
}
