using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Podium.Tracking;
using Podium.Tuning;

namespace Podium.Dashboard;

/// <summary>The dashboard's routes: its embedded page, script and style, and a JSON API over the run store. Figures that are not
/// finite go out as null (JSON has no NaN).</summary>
internal static class DashboardApi
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(WebApplication app, RunStore store)
    {
        app.Use(async (context, next) =>
        {
            try { await next(context); }
            catch (PodiumException e) { await Error(context, StatusCodes.Status404NotFound, e.Message); }
            catch (Exception e) when (RunStore.IsStoreError(e))
            {
                await Error(context, StatusCodes.Status503ServiceUnavailable, $"{store.Location}: {RunStore.Describe(e)}");
            }
        });
        app.MapGet("/", () => Asset("index.html"));
        app.MapGet("/assets/{name}", (string name) => Asset(name));
        app.MapGet("/api/info", () => Results.Json(new { store = store.Location }));
        app.MapGet("/api/runs", () => Results.Json(new
        {
            store = store.Location,
            runs = store.List(new RunFilter()).Select(Run),
            paramKeys = store.ParamKeys(),
        }));
        app.MapGet("/api/params", (string keys) =>
            Results.Json(store.Params(keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));
        app.MapGet("/api/runs/{id}", (string id) =>
        {
            var d = store.Details(id);
            return Results.Json(new
            {
                run = Run(d.Run),
                @params = d.Params,
                epochs = d.Epochs.Select(e => new { epoch = e.Epoch, values = Finite(e.Values) }),
                results = d.Results.ToDictionary(r => r.Key, r => Finite(r.Value)),
                artifacts = d.Artifacts.Keys,
                steps = d.Steps,
                stepKeys = store.StepKeys(d.Run.Id),
                config = d.Config,
                environment = d.Environment,
            });
        });
        app.MapGet("/api/runs/{id}/steps", (string id, string key, long? after) =>
        {
            var values = store.Steps(store.Find(id).Id, key, after ?? long.MinValue);
            return Results.Json(new { x = values.Select(v => v.Step), y = values.Select(v => Finite(v.Value)) });
        });
        app.MapGet("/api/runs/{id}/epochs", (string id, string key) =>
        {
            var values = store.EpochValues(store.Find(id).Id, key);
            return Results.Json(new { x = values.Select(v => v.Epoch), y = values.Select(v => Finite(v.Value)) });
        });
        app.MapGet("/api/runs/{id}/artifact", (string id, string name) =>
        {
            // Only files the run registered: the dashboard never serves a path a request names.
            var d = store.Details(id);
            if (!d.Artifacts.TryGetValue(name, out var path) || !File.Exists(path))
                return Results.NotFound(new { error = $"run {d.Run.Id} has no artifact {name}" });
            return Results.File(path, ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream");
        });
        app.MapGet("/api/studies", () =>
        {
            var studies = StudyStore.OpenExisting(store);
            return Results.Json(new
            {
                studies = (studies?.List() ?? []).Select(s =>
                {
                    var trials = studies!.Trials(s.Id);
                    var maximize = studies.Maximizes(s.Id);
                    return new
                    {
                        name = s.Name,
                        maximize,
                        trials = trials.Count,
                        states = trials.GroupBy(t => t.State).ToDictionary(g => g.Key.ToLowerInvariant(), g => g.Count()),
                        best = StudyTrial.Best(trials, maximize)?.Value,
                    };
                }),
            });
        });
        app.MapGet("/api/studies/{name}", (string name) =>
        {
            var studies = StudyStore.OpenExisting(store) ?? throw new PodiumException($"{store.Location}: no studies here");
            var report = StudyReport.Of(studies, name);
            return Results.Json(new
            {
                name = report.Study,
                maximize = report.Maximize,
                best = report.Best?.Number,
                parameters = report.Parameters.Select(p => new
                {
                    key = p.Key,
                    log = p is FloatParameter { Log: true } or IntParameter { Log: true },
                    choices = (p as CategoricalParameter)?.Choices,
                }),
                importance = report.Importance.Select(kv => new { key = kv.Key, value = kv.Value }),
                trials = report.Trials.Select(t => new
                {
                    number = t.Number,
                    state = t.State.ToLowerInvariant(),
                    value = t.Value is { } v ? Finite(v) : null,
                    epochs = t.Intermediate.Count,
                    run = t.Attribute("podium:run_id")?.GetValue<string>(),
                    @params = report.Parameters.Where(p => t.Params.ContainsKey(p.Key)).ToDictionary(p => p.Key,
                        p => p is CategoricalParameter ? (object)p.Text(t.Params[p.Key]) : t.Params[p.Key]),
                }),
            });
        });
        app.MapGet("/api/compare", (string ids) =>
        {
            var c = RunComparison.Of([.. ids.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(store.Details)]);
            return Results.Json(new
            {
                runs = c.Runs.Select(d => Run(d.Run)),
                stepKeys = c.Runs.SelectMany(d => store.StepKeys(d.Run.Id)).Distinct().Order(StringComparer.Ordinal),
                epochKeys = c.Runs.SelectMany(d => d.Epochs.SelectMany(e => e.Values.Keys)).Distinct().Order(StringComparer.Ordinal),
                figures = c.Figures.Select(f => new { figure = f.Figure, values = f.Values.Select(v => v is { } x ? Finite(x) : null) }),
                differing = c.Differing.Select(p => new { key = p.Key, values = p.Values }),
                paramCount = c.ParamCount,
            });
        });
    }

    private static object Run(RunRecord r) => new
    {
        id = r.Id,
        name = r.Name,
        task = r.Task,
        status = r.Status,
        started = r.Started,
        ended = r.Ended,
        seconds = r.Duration.TotalSeconds,
        host = r.Host,
        git = r.GitCommit,
        dirty = r.GitDirty,
        epochs = r.Epochs,
        monitor = r.Monitor,
        bestEpoch = r.BestEpoch,
        reason = r.Reason,
        folder = r.Folder,
        tags = r.Tags,
        best = Finite(r.Best),
    };

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static Dictionary<string, double?> Finite(IReadOnlyDictionary<string, double> values) =>
        values.ToDictionary(p => p.Key, p => Finite(p.Value));

    private static IResult Asset(string name)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("assets/" + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, ContentTypes.TryGetContentType(name, out var type) ? type
            : "application/octet-stream");
    }

    private static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = message.ReplaceLineEndings(" ") });
    }
}
