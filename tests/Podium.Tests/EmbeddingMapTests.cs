using Microsoft.Playwright;
using Podium.Data;
using Podium.Evaluation;
using Podium.Runs;

namespace Podium.Tests;

/// <summary>The t-SNE map page in Debian's Chromium: every image a point, and hovering one shows its thumbnail and names.</summary>
public class EmbeddingMapTests
{
    [Fact]
    public async Task HoveringAPointShowsItsImagePathLabelAndCluster()
    {
        var root = TestEnv.TempDir("map-page");
        Podium.Quickstart.SyntheticShapes.Generate(Path.Combine(root, "data"), trainPerClass: 6, testPerClass: 0, size: 32, seed: 2);
        var data = DatasetReader.Open(Path.Combine(root, "data", "train")).Dataset;
        var rng = new Random(5);
        var vectors = new float[data.Count, 4];
        for (int i = 0; i < data.Count; i++)
            for (int j = 0; j < 4; j++) vectors[i, j] = (float)(data.Label(i) == j ? 2 + rng.NextDouble() : rng.NextDouble());
        int[] clusters = [.. Enumerable.Range(0, data.Count).Select(i => i % 3)];
        EmbeddingMap.Write(new EmbeddingSet(vectors, [.. Enumerable.Range(0, data.Count)]), data, clusters, root, seed: 0, _ => { });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/lib/chromium/chromium",
            Headless = true,
            Args = ["--no-sandbox"]
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 1100 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(Path.Combine(root, "map.html")).AbsoluteUri);
        Assert.Equal(data.Count, await page.Locator("#map circle").CountAsync());
        var tip = page.Locator("#tip");
        Assert.False(await tip.IsVisibleAsync());
        await page.Locator("#map circle").Nth(4).HoverAsync();
        Assert.True(await tip.IsVisibleAsync());
        Assert.StartsWith("data:image/jpeg;base64,", await page.Locator("#tipimg").GetAttributeAsync("src"));
        Assert.Equal(data.Locate(4) + " · " + data.Classes[data.Label(4)] + " · cluster 1",
            await page.Locator("#tipname").TextContentAsync());
        Assert.True(await page.Locator("#tipimg").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0")); // a real JPEG
        Assert.Empty(errors);
    }
}
