using Podium.Tasks.Anomaly;

namespace Podium.Cli;

public sealed class AnomalyTrainCommand : PodiumCommand<TrainCommand.Settings>
{
    protected override int Run(TrainCommand.Settings s)
    {
        if (s.PrintConfig) return TrainCommand.PrintConfig(s);
        Print(TrainCommand.Train(s, "anomaly train", tasks: ["anomaly"]));
        return 0;
    }

    /// <summary>What the validation images scored at the threshold the run chose, and how to use the run.</summary>
    public static void Print(Podium.Runs.TrainOutcome outcome)
    {
        Log(AnomalyEvaluateCommand.Describe(((AnomalyOutcome)outcome.Task).Score, "validation"));
        Log($"run: {outcome.Run.Root}");
        Log($"score images with it: podium anomaly score --run {outcome.Run.Root} --input DIR");
    }
}
