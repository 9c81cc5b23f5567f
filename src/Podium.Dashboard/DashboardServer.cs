using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Podium.Tracking;

namespace Podium.Dashboard;

/// <summary>
/// The run store's web dashboard: a runs table, overlaid curves of selected runs, hyperparameters against a figure, each run's
/// page, all updated live while runs train. Serves its own page, script and style (offline) and a JSON API over the store.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the dashboard answers (the port is the one bound when 0 was asked for).</summary>
    public Uri Address { get; }

    /// <summary>Starts serving <paramref name="store"/> on <paramref name="host"/>:<paramref name="port"/> (0: any free port); a
    /// port in use is one line.</summary>
    public static async Task<DashboardServer> StartAsync(RunStore store, string host = "127.0.0.1", int port = 5080,
        CancellationToken cancel = default)
    {
        if (!IPAddress.TryParse(host, out var ip) && host != "localhost")
            throw new PodiumException($"--host {host}: an IP address (127.0.0.1 for this machine only, 0.0.0.0 for every interface)");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders(); // the library writes nothing to the console; the CLI says where the dashboard is
        builder.WebHost.UseKestrel(k =>
        {
            if (ip is null) k.ListenLocalhost(port);
            else k.Listen(ip, port);
        });
        var app = builder.Build();
        DashboardApi.Map(app, store);
        try { await app.StartAsync(cancel); }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new PodiumException($"--port {port}: cannot listen on {host}:{port} ({e.Message.TrimEnd('.')}); choose another port");
        }
        var bound = app.Urls.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1",
            StringComparison.Ordinal);
        return new DashboardServer(app, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }

    /// <summary>Serves until <paramref name="cancel"/> fires.</summary>
    public Task WaitAsync(CancellationToken cancel) => _app.WaitForShutdownAsync(cancel);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
