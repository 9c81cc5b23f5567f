using System.Text.RegularExpressions;
using Podium.Config;
using Parameter = TorchSharp.Modules.Parameter;

namespace Podium.Training;

/// <summary>
/// Builds the configured optimizer over parameter groups. Groups: weight decay skips biases and normalisation
/// weights (every parameter of one dimension, as timm does) unless told otherwise, and <c>backbone_lr_scale</c> gives
/// everything but the head (<c>head</c>, a regex on parameter names) a lower rate: discriminative learning rates for
/// fine-tuning.
/// </summary>
public static class OptimizerFactory
{
    public static readonly string[] Names = ["sgd", "adam", "adamw", "radam", "nadam", "rmsprop", "lion"];

    public static Optimizer Create(OptimizerConfig c, IEnumerable<(string Name, Parameter Parameter)> named)
    {
        var groups = Group(c, named);
        double lr = c.Lr, b1 = c.Betas[0], b2 = c.Betas[1];
        return c.Name switch
        {
            "sgd" => new Sgd(groups, lr, c.Momentum, c.Nesterov),
            "adam" => new Adam(groups, lr, b1, b2, c.Eps),
            "adamw" => new AdamW(groups, lr, b1, b2, c.Eps),
            "radam" => new RAdam(groups, lr, b1, b2, c.Eps),
            "nadam" => new NAdam(groups, lr, b1, b2, c.Eps, c.MomentumDecay),
            "rmsprop" => new RmsProp(groups, lr, c.Momentum, c.Alpha, c.Eps),
            "lion" => new Lion(groups, lr, b1, b2),
            _ => throw new ConfigException($"train.optimizer.name: unknown optimizer '{c.Name}' ({string.Join(", ", Names)})"),
        };
    }

    /// <summary>The parameter groups of a model under the config. Frozen parameters are included: they get no
    /// gradient, so no update, until unfreezing turns them back on.</summary>
    public static List<ParameterGroup> Group(OptimizerConfig c, IEnumerable<(string Name, Parameter Parameter)> named)
    {
        var head = c.Head is null ? null : new Regex(c.Head, RegexOptions.CultureInvariant);
        var buckets = new Dictionary<(double, double), (string Name, List<Parameter> List)>();
        foreach (var (name, p) in named)
        {
            bool inHead = head is null || head.IsMatch(name);
            double scale = inHead ? 1 : c.BackboneLrScale;
            double decay = c.DecayNormAndBias || p.dim() > 1 ? c.WeightDecay : 0;
            var key = (scale, decay);
            if (!buckets.TryGetValue(key, out var bucket))
                buckets[key] = bucket = ($"{(inHead ? "head" : "backbone")}{(decay == 0 && c.WeightDecay > 0 ? " (no decay)" : "")}", []);
            bucket.List.Add(p);
        }
        if (buckets.Count == 0) throw new PodiumException("the model has no trainable parameters");
        return buckets.Select(kv => new ParameterGroup(kv.Value.Name, kv.Value.List, kv.Key.Item1, kv.Key.Item2)).ToList();
    }
}
