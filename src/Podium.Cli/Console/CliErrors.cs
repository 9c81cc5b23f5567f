using Spectre.Console.Cli;

namespace Podium.Cli;

/// <summary>Every error a command ends with, as one line on stderr: a user's mistake exits 1, a bug 2 (PODIUM_DEBUG=1 adds the stack
/// trace).</summary>
public static class CliErrors
{
    public static int Report(Exception e)
    {
        var (message, code) = e switch
        {
            PodiumException or IOException or UnauthorizedAccessException => (e.Message, 1),
            _ when Podium.Platform.OutOfMemory.Is(e) => (Podium.Platform.OutOfMemory.Explain(e, "",
                "the batch size (train.batch_size of the config or run) or the image size (data.img_size)"), 1),
            // The command line itself: an unknown option or command, a missing or malformed value.
            CommandParseException or CommandRuntimeException => ($"{e.Message} (podium COMMAND --help lists the options)", 1),
            _ => ($"{e.GetType().Name}: {e.Message} (set PODIUM_DEBUG=1 for the stack trace)", 2),
        };
        Console.Error.WriteLine($"error: {message.Split('\n')[0]}");
        if (Environment.GetEnvironmentVariable("PODIUM_DEBUG") == "1") Console.Error.WriteLine(e);
        return code;
    }
}
