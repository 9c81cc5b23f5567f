using OpenCvSharp;
using Podium.Training;

namespace Podium.Tracking;

/// <summary>
/// TensorBoard's view of a run, written into its folder (<c>tensorboard --logdir runs</c> shows every run): each step's loss,
/// loss parts, lr and timings (tags train/..., time/...), each epoch's figures at its last step (epoch/...), the pictures the
/// run draws (curves each epoch; confusion matrix and galleries at the end), the config as text, the final figures, and the
/// hparams plugin's session records so the HParams tab compares runs. A resumed run starts a new file with a session start
/// at its first step, which makes TensorBoard drop what the killed epoch had logged.
/// </summary>
public sealed class TensorBoardLogger : IRunLogger, IDisposable
{
    private EventFileWriter? _writer;
    private RunStart? _start;
    private long _step;
    private IReadOnlyList<string> _parts = [];

    public void Start(RunStart start)
    {
        Dispose();
        _start = start;
        _parts = start.LossParts;
        _step = (long)start.ResumedAfterEpoch * start.StepsPerEpoch;
        var now = RunStore.Now();
        _writer = new EventFileWriter(start.Folder, now);
        if (start.ResumedAfterEpoch > 0) _writer.SessionStart(now, _step);
        var config = Path.Combine(start.Folder, "config.yaml");
        // Markdown: four spaces make the YAML a code block.
        if (File.Exists(config))
            _writer.Text("config", now, _step, string.Join('\n', File.ReadLines(config).Select(l => "    " + l)));
    }

    public void Hyperparameters(IReadOnlyDictionary<string, string> values) =>
        _writer?.HParamsStart(RunStore.Now(), Path.GetFileName(Path.GetFullPath(_start!.Folder)), values);

    public void Step(StepRecord s)
    {
        if (_writer is null) return;
        var now = RunStore.Now();
        _step = s.Step;
        _writer.Scalar("train/loss", now, s.Step, s.Loss);
        _writer.Scalar("train/lr", now, s.Step, s.Lr);
        foreach (var (column, value) in s.NamedParts(_parts)) _writer.Scalar("train/" + column, now, s.Step, value);
        _writer.Scalar("time/data_wait_ms", now, s.Step, s.DataWaitMs);
        _writer.Scalar("time/step_ms", now, s.Step, s.StepMs);
    }

    public void Epoch(EpochRecord e, bool best)
    {
        if (_writer is null) return;
        var now = RunStore.Now();
        _writer.Scalar("epoch/train_loss", now, _step, e.TrainLoss);
        foreach (var (key, value) in e.Metrics) _writer.Scalar("epoch/" + key, now, _step, value);
        _writer.Scalar("epoch/seconds", now, _step, e.Seconds);
        _writer.Scalar("epoch/epoch", now, _step, e.Epoch);
        _writer.Flush(); // TensorBoard reads the file as it grows: an epoch at a time is what it shows
    }

    public void Image(string name, string path) => Picture(name, path);

    /// <summary>Final figures (results/NAME/KEY) and the run's pictures as they are at the end (plots/*.png).</summary>
    public void Results(string name, IReadOnlyDictionary<string, double> values)
    {
        if (_start is null) return;
        var reopened = _writer is null;
        _writer ??= new EventFileWriter(_start.Folder, RunStore.Now()); // the training's file is closed: a small second one
        var now = RunStore.Now();
        foreach (var (key, value) in values) _writer.Scalar($"results/{name}/{key}", now, _step, value);
        var plots = Path.Combine(_start.Folder, "plots");
        if (Directory.Exists(plots))
            foreach (var png in Directory.EnumerateFiles(plots, "*.png").Order(StringComparer.Ordinal))
                Picture("plots/" + Path.GetFileNameWithoutExtension(png), png);
        if (reopened) Close();
        else _writer.Flush();
    }

    public void Finish(RunEnd end) => End(1);

    public void Fail(string error) => End(2);

    private void End(int status)
    {
        _writer?.HParamsEnd(RunStore.Now(), status);
        Close();
    }

    private void Picture(string name, string path)
    {
        if (_writer is null || !File.Exists(path)) return;
        var bytes = File.ReadAllBytes(path);
        using var header = Cv2.ImDecode(bytes, ImreadModes.Unchanged);
        if (header.Empty()) return; // not a picture OpenCV reads: nothing TensorBoard could show either
        _writer.Image(name, RunStore.Now(), _step, bytes, header.Rows, header.Cols, header.Channels());
    }

    private void Close()
    {
        _writer?.Dispose();
        _writer = null;
    }

    public void Dispose() => Close();
}
