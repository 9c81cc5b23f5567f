using System.Net;

namespace Podium.Models;

/// <summary>
/// <c>pretrained: hf-hub:ORG/NAME[@REVISION]</c>: fetches the repository's model.safetensors (else
/// pytorch_model.bin, which then passes the pickle guard) from the Hugging Face Hub once, into
/// ~/.cache/podium/hf (PODIUM_CACHE moves it), and uses the cached file from then on. Only when the
/// config asks: nothing downloads otherwise. HF_ENDPOINT points elsewhere (a mirror, a test server).
/// </summary>
public static class HubDownload
{
    public const string Prefix = Config.ModelConfig.HubPrefix;
    public static readonly string[] Files = ["model.safetensors", "pytorch_model.bin"];

    public static string DefaultCache => Weights.WeightsStore.CacheRoot;

    public static string Resolve(string spec, Action<string> log, string? endpoint = null, string? cache = null)
    {
        var repo = spec[Prefix.Length..];
        var revision = "main";
        if (repo.Split('@') is [var name, var rev]) (repo, revision) = (name, rev);
        if (repo.Split('/').Length != 2 || repo.Split('/').Any(p => p.Length == 0 || p == ".."))
            throw new PodiumException($"model.pretrained: '{spec}': expected hf-hub:ORG/NAME[@REVISION]");
        endpoint ??= Environment.GetEnvironmentVariable("HF_ENDPOINT") ?? "https://huggingface.co";
        var dir = Path.Combine(cache ?? DefaultCache, "hf", repo.Replace('/', Path.DirectorySeparatorChar), revision);
        foreach (var file in Files)
            if (File.Exists(Path.Combine(dir, file))) return Path.Combine(dir, file);

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        var tried = new List<string>();
        foreach (var file in Files)
        {
            var url = $"{endpoint.TrimEnd('/')}/{repo}/resolve/{revision}/{file}";
            HttpResponseMessage response;
            try { response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult(); }
            catch (HttpRequestException e) { throw new PodiumException($"{url}: cannot download ({e.Message}); are you online?"); }
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.NotFound) { tried.Add(url); continue; }
                if (!response.IsSuccessStatusCode) throw new PodiumException($"{url}: HTTP {(int)response.StatusCode} " +
                    $"{response.ReasonPhrase}");
                var target = Path.Combine(dir, file);
                long total = response.Content.Headers.ContentLength ?? 0;
                log($"downloading {url} ({(total > 0 ? $"{total / 1048576.0:F1} MB" : "size unknown")}) to {target}");
                IO.AtomicFile.Write(target, temp =>
                {
                    using var source = response.Content.ReadAsStream();
                    using var sink = File.Create(temp);
                    Platform.WorkProgress.Run($"downloading {file}", (int)Math.Max(1, total / 1048576), report =>
                    {
                        var buffer = new byte[1 << 20];
                        long done = 0;
                        int n;
                        while ((n = source.Read(buffer)) > 0)
                        {
                            sink.Write(buffer, 0, n);
                            done += n;
                            report((int)(done / 1048576));
                        }
                        return 0;
                    });
                });
                return target;
            }
        }
        throw new PodiumException($"{Prefix}{repo}@{revision}: no weights found (tried {string.Join(", ", tried)})");
    }
}
