// Loads torchvision state dicts saved by PyTorch into Podium's models (torchvision's names mapped to timm's for Podium's own families) and
// compares the logits on the
// same input with PyTorch's (bench/pretrained/run.sh writes both). Prints the largest difference.
using Podium.Models;
using static TorchSharp.torch;

if (args.Length < 2) { Console.Error.WriteLine("usage: PretrainedCheck DIR MODEL..."); return 2; }
var dir = args[0];
int failures = 0;
foreach (var name in args[1..])
{
    using var scope = NewDisposeScope();
    var model = ModelRegistry.Create(name, 1000);
    var report = Pretrained.Load(model, Path.Combine(dir, $"{name}.pth"), name);
    var io = Pretrained.ReadStateDict(Path.Combine(dir, $"{name}_io.pth"));
    model.eval();
    using var noGrad = no_grad();
    var logits = model.forward(io["input"]);
    double maxDiff = (logits - io["logits"]).abs().max().item<float>();
    double scale = io["logits"].abs().max().item<float>();
    bool ok = maxDiff <= 1e-4 * scale && report.Missing.Count == 0 && report.Mismatched.Count == 0;
    if (!ok) failures++;
    Console.WriteLine($"{name,-20} {report.Summary()}; max |logit diff| {maxDiff:E2} (logits up to {scale:E2}) {(ok ? "OK" : "FAIL")}");
}
return failures == 0 ? 0 : 1;
