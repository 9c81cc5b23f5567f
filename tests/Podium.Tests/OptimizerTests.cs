using Podium.Config;
using Podium.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>
/// Three steps of every optimizer on fixed gradients against PyTorch 1.13 (lr 0.01, weight decay 0.1,
/// betas 0.9/0.999, momentum 0.9, SGD with Nesterov); Lion and NAdam against the published update written in torch.
/// </summary>
public class OptimizerTests
{
    private static readonly float[][] Gradients = [[0.1f, -0.2f, 0.3f], [-0.05f, 0.4f, 0.1f], [0.2f, 0.2f, -0.3f]];

    [Theory]
    [InlineData("sgd", 0.4901069403, -0.9997330308, 1.9766372442)]
    [InlineData("adam", 0.4752235413, -0.9924286604, 1.9742444754)]
    [InlineData("adamw", 0.4792796671, -0.9958728552, 1.9748402834)]
    [InlineData("radam", 0.4964207113, -0.9976301789, 1.9889384508)]
    // NAdam: PyTorch 1.13 multiplies μ_t into Π μ twice for the look-ahead term (fixed in 2.0); expected is the
    // published update (Π μ_1..t · μ_{t+1}) in torch ops, which libtorch 2.x and TorchSharp compute.
    [InlineData("nadam", 0.4788724482, -0.9990419149, 1.9845439196)]
    [InlineData("rmsprop", 0.1575683653, -0.891127944, 1.6544730663)]
    [InlineData("lion", 0.4885115027, -1.0070130825, 1.984036088, 0.99)]
    public void ThreeStepsMatchPyTorch(string name, double x0, double x1, double x2, double beta2 = 0.999)
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new float[] { 0.5f, -1.0f, 2.0f }));
        var c = new OptimizerConfig { Name = name, Lr = 0.01, WeightDecay = 0.1, Momentum = 0.9, Nesterov = true, Betas = [0.9, beta2] };
        var optimizer = OptimizerControl.Create(c, [("w", p)]);
        foreach (var g in Gradients)
        {
            optimizer.ZeroGrad();
            p.grad = tensor(g);
            optimizer.Step();
        }
        var got = p.data<float>().ToArray();
        double[] expected = [x0, x1, x2];
        for (int i = 0; i < 3; i++)
            Assert.True(Math.Abs(got[i] - expected[i]) <= 1e-5 * Math.Abs(expected[i]), $"{name}[{i}]: {got[i]} vs {expected[i]}");
    }

    [Fact]
    public void GroupsSkipDecayOnNormsAndBiasesAndScaleTheBackbone()
    {
        using var scope = NewDisposeScope();
        var model = Podium.Models.ModelRegistry.Create("resnet18", 5);
        var c = new OptimizerConfig { Name = "adamw", Lr = 0.01, WeightDecay = 0.05, DecayNormAndBias = false, BackboneLrScale = 0.1, Head = Podium.Models.ModelRegistry.HeadPattern("resnet18") };
        var groups = OptimizerControl.Group(c, model.named_parameters());
        var all = model.named_parameters().ToList();
        Assert.Equal(all.Count, groups.Sum(g => g.Parameters.Count));
        var fc = groups.Single(g => g.Parameters.Any(p => ReferenceEquals(p, all.Single(n => n.name == "fc.weight").parameter)));
        Assert.Equal((1.0, 0.05), (fc.LrScale, fc.WeightDecay));
        var bn = groups.Single(g => g.Parameters.Any(p => ReferenceEquals(p, all.Single(n => n.name == "bn1.weight").parameter)));
        Assert.Equal((0.1, 0.0), (bn.LrScale, bn.WeightDecay));
        Assert.Equal(4, groups.Count); // head/backbone x decay/no decay

        // The schedule's lr reaches each group scaled.
        var control = OptimizerControl.Create(c, model.named_parameters());
        control.Set(0.02, 0.85);
        var rates = control.Torch!.ParamGroups.Select(g => g.LearningRate).Order().ToArray();
        Assert.Equal([0.002, 0.002, 0.02, 0.02], rates.Select(r => Math.Round(r, 12)));
        Assert.All(control.Torch.ParamGroups, g => Assert.Equal(0.85, ((AdamW.ParamGroup)g).Betas.Item1));
    }
}
