using System.Globalization;
using Podium.Tasks.Classification;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

/// <summary>Every command runs through here: user errors are one line, never a stack trace.</summary>
public abstract class PodiumCommand<TSettings> : Command<TSettings> where TSettings : CommandSettings
{
    public override int Execute(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try { return Run(settings); }
        catch (Exception e) { return CliErrors.Report(e); }
    }

    protected abstract int Run(TSettings settings);

    // Plain writes: Spectre would wrap long lines at the console width (80 when piped).
    public static void Log(string line) => Console.WriteLine(line);


    protected static void PrintEvaluation(EvaluationResult r)
    {
        bool multiLabel = r.Metrics.ContainsKey("hamming_loss");
        Log(F($"{r.Data}: {r.Count} images, {(multiLabel ? "subset accuracy" : "accuracy")} {r.Accuracy:F4}, macro F1 {r.F1Macro:F4}, " +
            $"log loss {r.LogLoss:F4}"));
        var table = new Table().AddColumns(multiLabel ? "label (at 0.5)" : "class", "precision", "recall", "F1", "support");
        foreach (var c in r.PerClass)
            table.AddRow(Markup.Escape(c.Name), F($"{c.Precision:F3}"), F($"{c.Recall:F3}"), F($"{c.F1:F3}"),
                c.Support.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        if (r.Metrics.Count > 0)
            Log(string.Join(", ", r.Metrics.Select(m => F($"{m.Key} {m.Value:F4}"))));
    }
}
