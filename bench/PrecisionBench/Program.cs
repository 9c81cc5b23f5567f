// One training step's forward + backward of resnet18 (batch 64, 112 px, the flowers recipe's size) in
// float32 and in bfloat16 (the whole model cast), best of 5 after a warm-up: how much a bf16 path could
// buy on this CPU. bench/PrecisionBench/torch_reference.py does the same in PyTorch.
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

Podium.Platform.TorchRuntime.Configure(0);
foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
{
    manual_seed(0);
    var model = Podium.Models.ModelRegistry.Create("resnet18", 5);
    model.to(dtype);
    model.train();
    var x = randn(64, 3, 112, 112).to(dtype);
    var y = randint(0, 5, 64);
    double best = double.MaxValue;
    for (int i = 0; i < 6; i++)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var loss = nn.functional.cross_entropy(model.forward(x).to(ScalarType.Float32), y);
        loss.backward();
        if (i > 0) best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine($"podium  {dtype,-9} {best,6:F0} ms per forward+backward");
}
