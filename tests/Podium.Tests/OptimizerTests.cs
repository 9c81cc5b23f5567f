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
        var c = Options(name, $"lr: 0.01, weight_decay: 0.1, momentum: 0.9, nesterov: true, betas: [0.9, {beta2}]");
        var optimizer = OptimizerFactory.Create(c, [("w", p)]);
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

    /// <summary>An optimizer's options from YAML text, keeping only the keys it has (the tests share one set of values).</summary>
    private static Podium.Training.OptimizerOptions Options(string name, string yaml)
    {
        var type = OptimizerFactory.Registry.OptionsType(name, "optimizer");
        var known = OptionRules.Properties(type).Select(p => p.Key).ToHashSet();
        var values = new YamlDotNet.Serialization.Deserializer().Deserialize<Dictionary<string, object?>>("{" + yaml + "}");
        return (Podium.Training.OptimizerOptions)OptionBinder.Bind(type, values.Where(kv => known.Contains(kv.Key)).ToDictionary());
    }

    [Fact]
    public void GroupsSkipDecayOnNormsAndBiasesAndScaleTheBackbone()
    {
        using var scope = NewDisposeScope();
        var model = Podium.Models.ModelRegistry.Create("resnet18", 5);
        var c = Options("adamw", "lr: 0.01, weight_decay: 0.05, decay_norm_and_bias: false, backbone_lr_scale: 0.1") with
        {
            Head = Podium.Models.ModelRegistry.HeadPattern("resnet18"),
        };
        var groups = OptimizerFactory.Group(c, model.named_parameters());
        var all = model.named_parameters().ToList();
        Assert.Equal(all.Count, groups.Sum(g => g.Parameters.Count));
        var fc = groups.Single(g => g.Parameters.Any(p => ReferenceEquals(p, all.Single(n => n.name == "fc.weight").parameter)));
        Assert.Equal((1.0, 0.05), (fc.LrScale, fc.WeightDecay));
        var bn = groups.Single(g => g.Parameters.Any(p => ReferenceEquals(p, all.Single(n => n.name == "bn1.weight").parameter)));
        Assert.Equal((0.1, 0.0), (bn.LrScale, bn.WeightDecay));
        Assert.Equal(4, groups.Count); // head/backbone x decay/no decay

        // The schedule's lr reaches each group scaled.
        var optimizer = OptimizerFactory.Create(c, model.named_parameters());
        optimizer.Set(0.02, 0.85);
        Assert.Equal([0.002, 0.002, 0.02, 0.02], optimizer.LearningRates.Order().Select(r => Math.Round(r, 12)));
    }

    /// <summary>
    /// Podium's optimizers are TorchSharp 0.107's updates op for op (so a run's numbers did not change when they replaced
    /// TorchSharp's), with Scalars that live through each call: five updates of random parameters, a schedule moving lr
    /// and momentum, and one parameter frozen for two steps give bit-identical weights, and no Scalar is left to the finalizer.
    /// </summary>
    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("radam")]
    [InlineData("nadam")]
    [InlineData("rmsprop")]
    public void UpdatesAreTorchSharpsBitForBitWithoutTemporaryScalars(string name)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var start = Enumerable.Range(0, 3).Select(i => randn(4, 5)).ToArray();
        var grads = Enumerable.Range(0, 15).Select(i => randn(4, 5)).ToArray();
        var ours = start.Select(t => new Parameter(t.clone())).ToArray();
        var theirs = start.Select(t => new Parameter(t.clone())).ToArray();
        var c = Options(name, $"lr: 0.01, weight_decay: 0.05, momentum: 0.9, nesterov: {(name == "sgd" ? "true" : "false")}, " +
            "betas: [0.9, 0.99]");
        const double lr0 = 0.01, eps = 1e-8, momentum0 = 0.9, alpha = 0.99, momentumDecay = 4e-3;
        var podium = OptimizerFactory.Create(c, ours.Select((p, i) => ($"p{i}", p)));
        var g = Assert.Single(OptimizerFactory.Group(c, theirs.Select((p, i) => ($"p{i}", p))));
        optim.Optimizer torch = name switch
        {
            "sgd" => optim.SGD([new TorchSharp.Modules.SGD.ParamGroup(g.Parameters, lr0, momentum0, 0, g.WeightDecay, true, false)], lr0),
            "adam" => optim.Adam([new TorchSharp.Modules.Adam.ParamGroup(g.Parameters, lr0, 0.9, 0.99, eps, g.WeightDecay, false,
                false)], lr0),
            "adamw" => optim.AdamW([new TorchSharp.Modules.AdamW.ParamGroup(g.Parameters, lr0, 0.9, 0.99, eps, g.WeightDecay, false,
                false)], lr0),
            "radam" => optim.RAdam([new TorchSharp.Modules.RAdam.ParamGroup(g.Parameters, lr0, 0.9, 0.99, eps, g.WeightDecay)], lr0),
            "nadam" => optim.NAdam([new TorchSharp.Modules.NAdam.ParamGroup(g.Parameters, lr0, 0.9, 0.99, eps, g.WeightDecay,
                momentumDecay)], lr0),
            _ => optim.RMSProp([new TorchSharp.Modules.RMSProp.ParamGroup(g.Parameters, lr0, eps, alpha, g.WeightDecay, momentum0,
                false)], lr0),
        };
        void Run(Action<double, double> set, Action step, Parameter[] parameters)
        {
            for (int n = 0; n < 5; n++)
            {
                set(0.01 * (1 + n), 0.85 + 0.02 * n);
                for (int i = 0; i < 3; i++)
                    parameters[i].grad = i == 2 && n is 1 or 2 ? null : grads[n * 3 + i].clone(); // frozen: no update, its step count stays
                step();
            }
        }
        Run((lr, momentum) =>
        {
            var group = torch.ParamGroups.Single();
            group.LearningRate = lr;
            switch (group)
            {
                case TorchSharp.Modules.SGD.ParamGroup s: s.Momentum = momentum; break;
                case TorchSharp.Modules.RMSProp.ParamGroup r: r.Momentum = momentum; break;
                case TorchSharp.Modules.Adam.ParamGroup a: a.Betas = (momentum, a.Betas.Item2); break;
                case TorchSharp.Modules.AdamW.ParamGroup a: a.Betas = (momentum, a.Betas.Item2); break;
                case TorchSharp.Modules.RAdam.ParamGroup a: a.Betas = (momentum, a.Betas.Item2); break;
                case TorchSharp.Modules.NAdam.ParamGroup a: a.Betas = (momentum, a.Betas.Item2); break;
            }
        }, () => torch.step(), theirs);
        using var finalized = new Platform.TorchFinalizations();
        var before = finalized.Settle();
        Run((lr, momentum) => podium.Set(lr, momentum), podium.Step, ours);
        Assert.Equal(before, finalized.Settle());
        for (int i = 0; i < 3; i++)
            Assert.True(ours[i].data<float>().ToArray().SequenceEqual(theirs[i].data<float>().ToArray()), $"{name}: parameter {i} differs");
    }
}
