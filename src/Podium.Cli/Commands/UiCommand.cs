using System.ComponentModel;
using System.Runtime.InteropServices;
using Podium.Dashboard;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class UiCommand : PodiumCommand<UiCommand.Settings>
{
    public sealed class Settings : StoreSettings
    {
        [CommandOption("--host <ADDRESS>")]
        [Description("Where to listen: 127.0.0.1 (default, this machine only) or 0.0.0.0 (every interface, for a team)")]
        public string Host { get; init; } = "127.0.0.1";

        [CommandOption("--port <PORT>")]
        [Description("The port (default 5080; 0: any free one)")]
        public int Port { get; init; } = 5080;
    }

    protected override int Run(Settings s)
    {
        var store = s.OpenStore();
        using var stop = new CancellationTokenSource();
        // Ctrl+C and SIGTERM stop the server cleanly.
        ConsoleCancelEventHandler cancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += cancel;
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        try
        {
            var server = DashboardServer.StartAsync(store, s.Host, s.Port).GetAwaiter().GetResult();
            Log($"dashboard of {store.Location} at {server.Address} (Ctrl+C stops it)");
            server.WaitAsync(stop.Token).GetAwaiter().GetResult();
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally { Console.CancelKeyPress -= cancel; }
        return 0;
    }
}
