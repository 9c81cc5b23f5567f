using Podium.Data;
using Podium.Models;
using static TorchSharp.torch;

namespace Podium.Evaluation;

/// <summary>An anomaly detector's scores for a loader's images, in the dataset's order: each image's score, and the peak and the
/// mean of its anomaly map (what heat maps are coloured by); the maps themselves go to a callback one image at a time, so memory
/// stays one batch's whatever the number of images.</summary>
public static class AnomalyScoring
{
    public static (double[] Scores, double[] Peaks, double[] Means) Score(nn.Module<Tensor, Tensor> model, BatchLoader<ImageBatch> loader,
        Device device, Action<int, float[,]>? maps = null, Action<int>? progress = null)
    {
        var detector = (IAnomalyModel)model;
        int n = loader.Data.Count, done = 0;
        var (scores, peaks, means) = (new double[n], new double[n], new double[n]);
        model.eval();
        using var _ = no_grad();
        foreach (var batch in loader.Epoch(0))
        {
            using (NewDisposeScope())
            {
                var map = detector.AnomalyMap(tensor(batch.Pixels, batch.Shape, device: device));
                loader.Recycle(batch);
                var score = detector.ImageScore(map).cpu().data<float>().ToArray();
                var peak = map.flatten(1).amax(1).cpu().data<float>().ToArray();
                var mean = map.flatten(1).mean([1]).cpu().data<float>().ToArray();
                var (h, w) = ((int)map.shape[1], (int)map.shape[2]);
                var values = maps is null ? null : map.cpu().data<float>().ToArray();
                for (int i = 0; i < batch.Count; i++)
                {
                    (scores[batch.Indices[i]], peaks[batch.Indices[i]], means[batch.Indices[i]]) = (score[i], peak[i], mean[i]);
                    if (values is null) continue;
                    var one = new float[h, w];
                    Buffer.BlockCopy(values, i * h * w * sizeof(float), one, 0, h * w * sizeof(float));
                    maps!(batch.Indices[i], one);
                }
            }
            progress?.Invoke(done += batch.Count);
        }
        return (scores, peaks, means);
    }
}
