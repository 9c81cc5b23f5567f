using Podium.Data;
using static TorchSharp.torch;

namespace Podium.Evaluation;

public static class Predictor
{
    /// <summary>The mean of several predictions of the same samples in the same order (test-time views, models).</summary>
    public static Predictions Mean(IReadOnlyList<Predictions> all)
    {
        var first = all[0];
        int n = first.Probabilities.GetLength(0), k = first.Probabilities.GetLength(1);
        var mean = new float[n, k];
        foreach (var p in all)
        {
            if (!p.Indices.SequenceEqual(first.Indices)) throw new InvalidOperationException("predictions of different samples cannot be " +
                "averaged");
            for (int i = 0; i < n; i++)
                for (int c = 0; c < k; c++) mean[i, c] += p.Probabilities[i, c] / all.Count;
        }
        return new Predictions(mean, first.Indices, first.MultiLabel);
    }

    /// <summary>Runs the model in eval mode without gradients; <paramref name="onBatch"/> reports progress.</summary>
    /// <param name="multiLabel">Sigmoid per label instead of a softmax over the classes.</param>
    public static Predictions Predict(nn.Module<Tensor, Tensor> model, BatchLoader<ImageBatch> loader, Device device, int numClasses,
        bool multiLabel = false, Action<int>? onBatch = null)
    {
        model.eval();
        var probabilities = new float[loader.Data.Count, numClasses];
        var indices = new int[loader.Data.Count];
        int row = 0;
        using var _ = no_grad();
        foreach (var batch in loader.Epoch(0))
        {
            using var scope = NewDisposeScope();
            var x = tensor(batch.Pixels, batch.Shape, device: device);
            loader.Recycle(batch);
            var logits = model.forward(x);
            var p = (multiLabel ? nn.functional.sigmoid(logits) : nn.functional.softmax(logits, 1)).cpu().data<float>().ToArray();
            for (int i = 0; i < batch.Count; i++)
            {
                indices[row] = batch.Indices[i];
                for (int c = 0; c < numClasses; c++) probabilities[row, c] = p[i * numClasses + c];
                row++;
            }
            onBatch?.Invoke(batch.Count);
        }
        return new Predictions(probabilities, indices, multiLabel);
    }
}
