using Podium.Config;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>Builds the configured optimizer and lets schedules set its lr and momentum/beta1 each step.</summary>
public sealed class OptimizerControl
{
    public optim.Optimizer Optimizer { get; }

    private OptimizerControl(optim.Optimizer optimizer) => Optimizer = optimizer;

    public static OptimizerControl Create(OptimizerConfig c, IEnumerable<Parameter> parameters) => c.Name switch
    {
        "adamw" => new(optim.AdamW(parameters, c.Lr, c.Betas[0], c.Betas[1], c.Eps, c.WeightDecay)),
        "sgd" => new(optim.SGD(parameters, c.Lr, c.Momentum, 0, c.WeightDecay, c.Nesterov)),
        _ => throw new ConfigException($"train.optimizer.name: unknown optimizer '{c.Name}'"),
    };

    public void Set(double lr, double? momentum)
    {
        foreach (var g in Optimizer.ParamGroups)
        {
            g.LearningRate = lr;
            if (momentum is not { } m) continue;
            switch (g)
            {
                case AdamW.ParamGroup a: a.Betas = (m, a.Betas.Item2); break;
                case SGD.ParamGroup s: s.Momentum = m; break;
            }
        }
    }
}
