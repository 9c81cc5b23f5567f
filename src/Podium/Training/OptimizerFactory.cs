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
    /// <summary>Every optimizer: the options records deriving from <see cref="OptimizerOptions"/>.</summary>
    public static readonly ComponentRegistry<OptimizerOptions> Registry = new("optimizer", "adamw");

    /// <summary>The configured optimizer (train.optimizer) over the model's parameter groups.</summary>
    public static Optimizer Create(ComponentConfig c, IEnumerable<(string Name, Parameter Parameter)> named) =>
        Create(Registry.Options(c, "train.optimizer"), named);

    /// <summary>The head pattern the config names, if any.</summary>
    public static string? Head(ComponentConfig c) => Registry.Options(c, "train.optimizer").Head;

    public static Optimizer Create(OptimizerOptions o, IEnumerable<(string Name, Parameter Parameter)> named) => o.Build(Group(o, named));

    /// <summary>The parameter groups of a model under the config. Frozen parameters are included: they get no
    /// gradient, so no update, until unfreezing turns them back on.</summary>
    public static List<ParameterGroup> Group(OptimizerOptions c, IEnumerable<(string Name, Parameter Parameter)> named)
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
