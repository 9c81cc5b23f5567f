using Podium.IO;
using Podium.Training;
using static TorchSharp.torch;

namespace Podium.Tracking;

/// <summary>checkpoints/last.pt every epoch and best.pt when the monitored metric improves; atomic writes.</summary>
public sealed class CheckpointSaver(RunDirectory run) : ITrainerCallback
{
    public void OnEpochEnd(TrainerState state, EpochRecord epoch)
    {
        Save(state.Model, run.LastCheckpoint);
        if (state.IsBestEpoch) Save(state.Model, run.BestCheckpoint);
    }

    public static void Save(nn.Module model, string path) => AtomicFile.Write(path, temp =>
    {
        using var writer = BufferedFile.CreateWriter(temp);
        model.save(writer);
    });
}
