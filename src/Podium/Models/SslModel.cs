using Podium.Config;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// A registry backbone in its features mode with the heads of a self-supervised method: SimCLR's projector (linear, batch norm,
/// ReLU, linear; its output is what NT-Xent compares), or SimSiam's projector (ending in batch norm) and predictor bottleneck.
/// The forward pass gives the projection z, and for SimSiam the prediction p beside it ([z | p]). The backbone's tensors keep its
/// classifier's names under <c>backbone.</c>, so a run loads as model.pretrained of that classifier (the heads are left out).
/// </summary>
public sealed class SslModel : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> backbone;
    private readonly Module<Tensor, Tensor> projector;
    private readonly Module<Tensor, Tensor>? predictor;

    public SslModel(PodiumConfig config) : base(nameof(SslModel))
    {
        var ssl = config.Ssl ?? throw new InvalidOperationException("a self-supervised config has an ssl section");
        backbone = ModelRegistry.Features(config.Model.Name, config.Data.Channels, ModelRegistry.Options(config.Model),
            config.Data.ImgSize);
        long width = ModelRegistry.FeatureWidth(config.Model.Name);
        bool simsiam = ssl.Method == "simsiam";
        projector = simsiam
            ? Sequential(Linear(width, ssl.HiddenDim, hasBias: false), BatchNorm.BatchNorm1d(ssl.HiddenDim), ReLU(),
                Linear(ssl.HiddenDim, ssl.ProjectionDim, hasBias: false), BatchNorm.BatchNorm1d(ssl.ProjectionDim))
            : Sequential(Linear(width, ssl.HiddenDim, hasBias: false), BatchNorm.BatchNorm1d(ssl.HiddenDim), ReLU(),
                Linear(ssl.HiddenDim, ssl.ProjectionDim));
        // SimSiam's predictor: a bottleneck that maps one view's projection onto the other's.
        if (simsiam)
            predictor = Sequential(Linear(ssl.ProjectionDim, ssl.PredictorDim, hasBias: false), BatchNorm.BatchNorm1d(ssl.PredictorDim),
                ReLU(), Linear(ssl.PredictorDim, ssl.ProjectionDim));
        RegisterComponents();
    }

    /// <summary>The backbone's pooled features (what a probe, k-NN and fine-tuning use).</summary>
    public Tensor Features(Tensor x) => backbone.forward(x);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var z = projector.forward(backbone.forward(x));
        return (predictor is null ? z : cat([z, predictor.forward(z)], 1)).MoveToOuterDisposeScope();
    }
}
