using Podium.Config;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// A model family's options (<c>model.name</c> and the family's own keys beside it): registered under each variant's name (an
/// <see cref="IComponentFamily"/>, or <see cref="ComponentAttribute"/> for one), they hold its parameters, defaults and rules
/// and build the network. <see cref="ModelRegistry"/> adds heads, the features mode and the input adapter.
/// </summary>
public abstract record BackboneOptions : ComponentOptions
{
    /// <summary>The variant <paramref name="name"/> with a <paramref name="classes"/>-way classifier, or, with 0, without one
    /// (its pooled, flattened features).</summary>
    /// <param name="imgSize">The training image size (ViT and CoAtNet size their position tables for it).</param>
    public abstract Module<Tensor, Tensor> Build(string name, int classes, int imgSize);

    /// <summary>The width of the variant's pooled features.</summary>
    public abstract long FeatureWidth(string name);

    /// <summary>The name prefix of the variant's classifier parameters (the rest is the backbone).</summary>
    public virtual string Classifier(string name) => "head";

    /// <summary>The variant up to its pooled, flattened features (timm's num_classes=0).</summary>
    public virtual Module<Tensor, Tensor> Features(string name, int imgSize) => Build(name, 0, imgSize);
}
