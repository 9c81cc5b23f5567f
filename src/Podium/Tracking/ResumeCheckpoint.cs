using System.Text.Json;
using Podium.IO;
using Podium.Training;

namespace Podium.Tracking;

/// <summary>
/// Everything a run needs to continue exactly where an epoch ended: the live weights, the optimizer's state, the EMA
/// shadow (any <see cref="IBinaryResumable"/>), the schedule's and callbacks' state and the trainer's counters (the
/// loader and the dropout generator are seeded per epoch, so they need nothing). Written to a fresh folder, then
/// published by atomically replacing checkpoints/resume.json, so a kill at any moment leaves the previous complete set.
/// As a callback it saves after every epoch, and loads at fit start when the run resumes.
/// </summary>
public sealed class ResumeCheckpoint(RunDirectory run, string? resumeFrom, Action<string> log) : ITrainerCallback
{
    public static string Pointer(RunDirectory run) => Path.Combine(run.Checkpoints, "resume.json");

    public void OnFitStart(TrainerState state)
    {
        if (resumeFrom is null) return;
        Load(resumeFrom, state);
        if (state.Epoch >= state.Epochs || state.StopReason is not null)
            throw new PodiumException($"{run.Root}: finished ({state.Epoch} of {state.Epochs} " +
                $"epochs{(state.StopReason is null ? "" : ", stopped early")}); nothing to resume");
        log($"resuming after epoch {state.Epoch} of {state.Epochs} (step {state.Step}, best epoch {state.BestEpoch})");
    }

    public void OnEpochComplete(TrainerState state) => Save(run, state);

    /// <summary>The parts saved as files of their own: the optimizer and any callback with tensor state.</summary>
    private static IEnumerable<IBinaryResumable> Binary(TrainerState state) => [state.Optimizer,
        .. state.Callbacks.OfType<IBinaryResumable>()];

    public static void Save(RunDirectory run, TrainerState state)
    {
        var name = $"resume-{state.Epoch}";
        var dir = Path.Combine(run.Checkpoints, name);
        var temp = dir + $".{Environment.ProcessId}.tmp";
        if (Directory.Exists(temp)) Directory.Delete(temp, true);
        Directory.CreateDirectory(temp);
        using (var w = BufferedFile.CreateWriter(Path.Combine(temp, "model.pt"))) state.Model.save(w);
        foreach (var part in Binary(state))
            using (var w = BufferedFile.CreateWriter(Path.Combine(temp, part.ResumeFile))) part.Save(w);
        var snapshot = new TrainerSnapshot(state.Epoch, state.Step, state.Updates, double.IsNaN(state.BestValue) ? null : state.BestValue,
            state.BestEpoch,
            state.BestRecord, [.. state.History], state.StopReason, Trainer.Resumables(state).ToDictionary(p => p.Key,
                p => p.Value.SaveState()));
        File.WriteAllText(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(snapshot, JsonFiles.Options));
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.Move(temp, dir);
        AtomicFile.WriteAllText(Pointer(run), JsonSerializer.Serialize(new { dir = name, epoch = state.Epoch }, JsonFiles.Options));
        foreach (var old in Directory.GetDirectories(run.Checkpoints,
            "resume-*").Where(d => Path.GetFileName(d) != name)) Directory.Delete(old, true);
    }

    /// <summary>The checkpoint to resume a run from, or null when it has none (never started an epoch).</summary>
    public static string? TryLocate(RunDirectory run) => File.Exists(Pointer(run)) ? Locate(run) : Unpublished(run);

    /// <summary>What resuming a run starts from: the config it was started with (on <paramref name="device"/> if given) and its last
    /// complete resume set.</summary>
    public static (Config.PodiumConfig Config, string From) Prepare(string runPath, string? device)
    {
        var run = RunDirectory.Open(runPath);
        var dir = Locate(run);
        var config = Config.ConfigLoader.Load(run.Config);
        if (device is not null) config = config with { Device = device };
        return (config, dir);
    }

    /// <summary>The folder of the last complete resume set, or a one-line reason there is none.</summary>
    public static string Locate(RunDirectory run)
    {
        var pointer = Pointer(run);
        if (!File.Exists(pointer))
            return Unpublished(run) ?? throw new PodiumException($"{run.Root}: nothing to resume (no " +
                $"{Path.GetRelativePath(run.Root, pointer)}: the run stopped before its first epoch ended)");
        using var doc = JsonDocument.Parse(File.ReadAllText(pointer));
        var dir = Path.Combine(run.Checkpoints, doc.RootElement.GetProperty("dir").GetString()!);
        if (!Directory.Exists(dir)) throw new PodiumException($"{pointer}: names {dir}, which is missing");
        return dir;
    }

    /// <summary>
    /// A set moved into place whose pointer was never written (a kill between the two, in the first epoch; later epochs have the
    /// pointer to the set before): a set is only renamed into place once every file of it is written, so it is complete.
    /// </summary>
    private static string? Unpublished(RunDirectory run) => !Directory.Exists(run.Checkpoints) ? null : Directory
        .GetDirectories(run.Checkpoints, "resume-*")
        .Select(d => (Dir: d, Epoch: int.TryParse(Path.GetFileName(d)["resume-".Length..], out var e) ? e : -1))
        .Where(d => d.Epoch > 0 && File.Exists(Path.Combine(d.Dir, "state.json")))
        .OrderByDescending(d => d.Epoch).Select(d => d.Dir).FirstOrDefault();

    public static TrainerSnapshot Load(string dir, TrainerState state)
    {
        state.Model.load(Path.Combine(dir, "model.pt"));
        foreach (var part in Binary(state))
        {
            var file = Path.Combine(dir, part.ResumeFile);
            if (!File.Exists(file)) throw new PodiumException($"{dir}: has no {part.ResumeFile}; the run was started without what the " +
                $"config asks for now");
            using var r = new BinaryReader(File.OpenRead(file));
            part.Load(r, file);
        }
        var snapshot = JsonSerializer.Deserialize<TrainerSnapshot>(File.ReadAllText(Path.Combine(dir, "state.json")), JsonFiles.Options)
            ?? throw new PodiumException($"{dir}/state.json: empty");
        state.Epoch = snapshot.Epoch;
        state.Step = snapshot.Step;
        state.Updates = snapshot.Updates;
        state.BestValue = snapshot.BestValue ?? double.NaN;
        state.BestEpoch = snapshot.BestEpoch;
        state.BestRecord = snapshot.BestRecord;
        state.History.Clear();
        state.History.AddRange(snapshot.History);
        state.StopReason = snapshot.StopReason;
        foreach (var (key, part) in Trainer.Resumables(state)) part.LoadState(snapshot.Parts.GetValueOrDefault(key));
        return snapshot;
    }
}
