using System.Text.Json.Nodes;

namespace Podium.Training;

/// <summary>
/// Stops a run that has gone wrong, naming the step: a NaN/inf loss, or (factor > 0) a smoothed loss
/// that has climbed to factor × its best after the first 20 steps (a too-high lr blowing up).
/// </summary>
public sealed class DivergenceGuard(double factor) : IResumable
{
    private double _average, _best = double.MaxValue;
    private long _seen;

    /// <summary>Multiples of its best the smoothed loss may reach (train.divergence_factor; 0: only NaN/inf stop).</summary>
    public double Factor { get; set; } = factor;

    public JsonNode? SaveState() => new JsonObject
    {
        ["average"] = _average,
        ["best"] = _best == double.MaxValue ? null : _best,
        ["seen"] = _seen,
    };

    public void LoadState(JsonNode? state)
    {
        if (state is null) return;
        _average = state["average"]!.GetValue<double>();
        _best = state["best"]?.GetValue<double>() ?? double.MaxValue;
        _seen = state["seen"]!.GetValue<long>();
    }

    /// <summary>The problem with this step's loss, or null when it is fine.</summary>
    public string? Check(double loss)
    {
        if (!double.IsFinite(loss)) return $"loss is {loss}";
        _seen++;
        _average = 0.9 * _average + 0.1 * loss;
        double smoothed = _average / (1 - Math.Pow(0.9, _seen));
        if (_seen > 20 && Factor > 0 && smoothed > Factor * _best)
            return $"the smoothed loss {smoothed:G4} is over {Factor:G3}x its best ({_best:G4})";
        if (_seen >= 5) _best = Math.Min(_best, smoothed);
        return null;
    }
}
