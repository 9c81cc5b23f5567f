using Podium.Tasks.SelfSupervised;

namespace Podium.Cli;

public sealed class PretrainCommand : PodiumCommand<TrainCommand.Settings>
{
    protected override int Run(TrainCommand.Settings s)
    {
        if (s.PrintConfig) return TrainCommand.PrintConfig(s);
        Print(TrainCommand.Train(s, "pretrain", tasks: ["self_supervised"]));
        return 0;
    }

    /// <summary>A pretraining run's kept epoch, its features' k-NN judgement, and how to fine-tune from it.</summary>
    public static void Print(Podium.Runs.TrainOutcome outcome)
    {
        var v = ((SelfSupervisedOutcome)outcome.Task).Validation;
        Log(v is null ? $"kept epoch {outcome.BestEpoch} (lowest training loss; no data.val judged the features)"
            : F($"best epoch {outcome.BestEpoch}: validation k-NN accuracy {v["val_knn_accuracy"]:F4}, Recall@1 " +
                $"{v["val_recall_at_1"]:F4}, MAP@R {v["val_map_at_r"]:F4}"));
        Log($"run: {outcome.Run.Root}");
        Log($"fine-tune or extract features from it: model.pretrained: {outcome.Run.Root}");
    }
}
