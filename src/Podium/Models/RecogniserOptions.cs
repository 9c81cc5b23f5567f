using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Models;

/// <summary>
/// A line recogniser's options (<c>model.name</c> of a text_recognition run and the family's own keys beside it), registered with
/// <see cref="ComponentAttribute"/> in <see cref="Recognisers.Registry"/>. The network reads RGB lines [N, C, H, W] scaled to
/// −1..1 and gives [N, W / stride, classes] CTC logits, class 0 the blank.
/// </summary>
public abstract record RecogniserOptions : ComponentOptions
{
    /// <summary>Input columns per CTC step.</summary>
    public abstract int Stride { get; }

    public abstract nn.Module<Tensor, Tensor> Build(int classes, int inChannels, int height);
}
