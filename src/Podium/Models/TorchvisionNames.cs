using System.Text.RegularExpressions;

namespace Podium.Models;

/// <summary>
/// torchvision's state-dict names for the families Podium builds itself (EfficientNet, ConvNeXt, ViT),
/// rewritten to the timm names Podium's modules carry, so a checkpoint from either library loads.
/// A name that matches no rule is returned as it is (timm checkpoints need no rewriting).
/// </summary>
public static partial class TorchvisionNames
{
    /// <summary>The timm name of a torchvision key of the model family <paramref name="model"/> belongs to.</summary>
    public static string ToTimm(string model, string key)
    {
        if (model.StartsWith("efficientnet_", StringComparison.Ordinal)) return EfficientNet(key);
        if (model.StartsWith("convnext_", StringComparison.Ordinal)) return ConvNeXt(key);
        if (model.StartsWith("vit_", StringComparison.Ordinal)) return Vit(key);
        return key;
    }

    // features.0 is the stem, features.1..7 the stages, features.8 the head conv; inside an MBConv,
    // torchvision numbers the layers (expand, depthwise, SE, project; no expand in the first stage).
    private static string EfficientNet(string key)
    {
        var m = TvEffStem().Match(key);
        if (m.Success) return (m.Groups[1].Value == "0" ? m.Groups[2].Value == "0" ? "conv_stem" : "bn1" : m.Groups[2].Value == "0"
            ? "conv_head" : "bn2") + m.Groups[3].Value;
        m = TvEffBlock().Match(key);
        if (m.Success)
        {
            int stage = int.Parse(m.Groups[1].Value) - 1;
            string block = $"blocks.{stage}.{m.Groups[2].Value}.", rest = m.Groups[3].Value;
            string[] names = stage == 0 ? ["conv_dw", "bn1", "se", "conv_pw", "bn2"] : ["conv_pw", "bn1", "conv_dw", "bn2", "se",
                "conv_pwl", "bn3"];
            var part = TvLayer().Match(rest);
            if (!part.Success) return key;
            int layer = int.Parse(part.Groups[1].Value);
            string tail = part.Groups[2].Value;
            // SE is one module (fc1/fc2) at position 1 (first stage) or 2; conv+norm pairs are .0/.1 of one index.
            int seAt = stage == 0 ? 1 : 2;
            if (layer == seAt) return block + "se." + tail.Replace("fc1", "conv_reduce").Replace("fc2", "conv_expand");
            int pair = layer < seAt ? layer : layer - 1;
            int sub = tail[0] - '0';
            string[] convs = stage == 0 ? ["conv_dw", "conv_pw"] : ["conv_pw", "conv_dw", "conv_pwl"];
            string[] norms = stage == 0 ? ["bn1", "bn2"] : ["bn1", "bn2", "bn3"];
            return block + (sub == 0 ? convs[pair] : norms[pair]) + tail[1..];
        }
        return key.StartsWith("classifier.1.", StringComparison.Ordinal) ? "classifier." + key["classifier.1.".Length..] : key;
    }

    // features.0 = stem, odd features = stages, even features (2, 4, 6) = downsampling; each CNBlock
    // is (dwconv, permute, LayerNorm, Linear, GELU, Linear, permute) plus layer_scale.
    private static string ConvNeXt(string key)
    {
        var m = TvFeature().Match(key);
        if (!m.Success)
            return key.StartsWith("classifier.0.", StringComparison.Ordinal) ? "head.norm." + key[13..]
                : key.StartsWith("classifier.2.", StringComparison.Ordinal) ? "head.fc." + key[13..] : key;
        int f = int.Parse(m.Groups[1].Value);
        string rest = m.Groups[2].Value;
        if (f == 0) return "stem." + rest;
        if (f % 2 == 0) return $"stages.{f / 2}.downsample.{rest}";
        int stage = f / 2;
        var b = TvCnBlock().Match(rest);
        if (!b.Success) return key;
        string block = $"stages.{stage}.blocks.{b.Groups[1].Value}.";
        if (b.Groups[2].Value == "layer_scale") return block + "gamma";
        var layer = TvLayer().Match(b.Groups[2].Value["block.".Length..]);
        string name = layer.Groups[1].Value switch { "0" => "conv_dw", "2" => "norm", "3" => "mlp.fc1", "5" => "mlp.fc2", _ => "" };
        return name.Length == 0 ? key : block + name + "." + layer.Groups[2].Value;
    }

    private static string Vit(string key)
    {
        var m = TvVitLayer().Match(key);
        if (m.Success)
        {
            string block = $"blocks.{m.Groups[1].Value}.", rest = m.Groups[2].Value;
            return block + rest switch
            {
                "self_attention.in_proj_weight" => "attn.qkv.weight",
                "self_attention.in_proj_bias" => "attn.qkv.bias",
                _ => rest.Replace("ln_1.", "norm1.").Replace("ln_2.", "norm2.").Replace("self_attention.out_proj.", "attn.proj.")
                    .Replace("mlp.0.", "mlp.fc1.").Replace("mlp.3.", "mlp.fc2.").Replace("mlp.linear_1.",
                        "mlp.fc1.").Replace("mlp.linear_2.", "mlp.fc2."),
            };
        }
        return key switch
        {
            "class_token" => "cls_token",
            "encoder.pos_embedding" => "pos_embed",
            _ => key.StartsWith("conv_proj.", StringComparison.Ordinal) ? "patch_embed.proj." + key[10..]
                : key.StartsWith("encoder.ln.", StringComparison.Ordinal) ? "norm." + key[11..]
                : key.StartsWith("heads.head.", StringComparison.Ordinal) ? "head." + key[11..] : key,
        };
    }

    [GeneratedRegex(@"^features\.(0|8)\.([01])(\..+)$")] private static partial Regex TvEffStem();
    [GeneratedRegex(@"^features\.([1-7])\.(\d+)\.block\.(.+)$")] private static partial Regex TvEffBlock();
    [GeneratedRegex(@"^(\d+)\.(.+)$")] private static partial Regex TvLayer();
    [GeneratedRegex(@"^features\.(\d+)\.(.+)$")] private static partial Regex TvFeature();
    [GeneratedRegex(@"^(\d+)\.(layer_scale|block\..+)$")] private static partial Regex TvCnBlock();
    [GeneratedRegex(@"^encoder\.layers\.encoder_layer_(\d+)\.(.+)$")] private static partial Regex TvVitLayer();
}
