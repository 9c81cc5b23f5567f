using Podium.Data;

namespace Podium.Evaluation;

public static class RunPredictor
{
    /// <summary>Predicts every image of <paramref name="input"/> (a folder or CSV) with a run's best model and writes a submission.</summary>
    /// <returns>The number of rows written.</returns>
    public static int Predict(string runPath, string input, string outPath, string? samplePath, string? idStyle, string? device, Action<string> log)
    {
        var rm = RunModel.Load(runPath, device);
        var load = DatasetReader.Open(input, rm.Classes, labelled: false);
        if (load.Skipped.Count > 0) log($"skipped {load.Skipped.Count} inputs of {input}: {load.SkipSummary()}");
        var data = DataSetup.Preprocess(load.Enforce(rm.Config.Data.OnBadInput), rm.Config.Data);
        var pipeline = DataSetup.BuildPipeline(rm.Config, rm.Config.Augment.Val, "augment.val");
        var views = DataSetup.TtaViews(rm.Config, pipeline);
        var predictions = Predictor.Predict(rm.Model, DataSetup.EvalLoader(data, pipeline, rm.Config), rm.Device, rm.Classes.Length);
        if (views.Count > 0)
        {
            log($"test-time augmentation: {views.Count + 1} views (augment.tta and the plain one), probabilities averaged");
            predictions = Predictor.Mean([predictions, .. views.Select(v => Predictor.Predict(rm.Model, DataSetup.EvalLoader(data, v, rm.Config), rm.Device, rm.Classes.Length))]);
        }
        var options = rm.Config.Submission;
        if (idStyle is not null) options.IdStyle = idStyle;
        return SubmissionWriter.Write(outPath, data, predictions, rm.Classes, options, samplePath);
    }

    /// <summary>Accuracy of a submission against an answer key with the same id,label columns.</summary>
    public static double Score(string submissionPath, string answersPath)
    {
        var truth = Csv.Read(answersPath).Skip(1).ToDictionary(r => r[0], r => r[1]);
        var rows = Csv.Read(submissionPath).Skip(1).ToList();
        if (rows.Count != truth.Count) throw new PodiumException($"{submissionPath}: {rows.Count} rows, the answer key has {truth.Count}");
        return rows.Count(r => truth.TryGetValue(r[0], out var t) && t == r[1]) / (double)rows.Count;
    }
}
