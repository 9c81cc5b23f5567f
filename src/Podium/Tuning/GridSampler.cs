using Podium.Tracking;

namespace Podium.Tuning;

/// <summary>
/// Every combination once, in an order shuffled by the seed: each trial takes the first combination no trial holds yet (failed
/// ones free theirs). A conditional parameter multiplies only the combinations where its condition holds. Every parameter must
/// be discrete: a choice, an integer, or a float with a step.
/// </summary>
public sealed class GridSampler : ISampler
{
    /// <summary>More combinations than this is a space for a search, not a grid.</summary>
    public const int MaxPoints = 100_000;

    private readonly List<Dictionary<string, double>> _points;

    public GridSampler(SearchSpace space, int seed)
    {
        _points = [new Dictionary<string, double>(StringComparer.Ordinal)];
        foreach (var p in space.Parameters)
        {
            var grid = Values(p);
            var next = new List<Dictionary<string, double>>();
            foreach (var point in _points)
            {
                var texts = point.ToDictionary(kv => kv.Key, kv => space.Parameters.First(q => q.Key == kv.Key).Text(kv.Value));
                if (!p.Active(texts))
                {
                    next.Add(point);
                    continue;
                }
                foreach (var v in grid) next.Add(new Dictionary<string, double>(point, StringComparer.Ordinal) { [p.Key] = v });
                if (next.Count > MaxPoints)
                    throw new PodiumException($"grid: the space has more than {MaxPoints:N0} combinations; use tpe or random");
            }
            _points = next;
        }
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_points));
    }

    /// <summary>How many combinations the grid has (the study's budget at most).</summary>
    public int Count => _points.Count;

    private static IEnumerable<double> Values(SearchParameter p) => p switch
    {
        CategoricalParameter c => Enumerable.Range(0, c.Choices.Count).Select(i => (double)i),
        IntParameter { Log: false } i => Steps(i.Low, i.High, i.Step),
        IntParameter i => Steps(i.Low, i.High, 1),
        FloatParameter { Step: { } s } f => Steps(f.Low, f.High, s),
        _ => throw new PodiumException($"grid: {p.Key} is continuous; give it a step or choices, or use tpe or random"),
    };

    private static IEnumerable<double> Steps(double low, double high, double step)
    {
        var count = (long)Math.Floor((high - low) / step + 1e-9) + 1;
        if (count > MaxPoints) throw new PodiumException($"grid: more than {MaxPoints:N0} values in [{low}, {high}]; use tpe or random");
        for (var k = 0L; k < count; k++) yield return low + k * step;
    }

    public IReadOnlyDictionary<string, double>? Suggest(SearchSpace space, IReadOnlyList<StudyTrial> trials, int number)
    {
        var taken = trials.Where(t => t.Number != number && t.State != "FAIL").Select(t => t.Params).ToList();
        return _points.FirstOrDefault(point => !taken.Any(t => Same(t, point)));
    }

    private static bool Same(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && Math.Abs(v - kv.Value) <= 1e-9 * Math.Max(1, Math.Abs(v)));
}
