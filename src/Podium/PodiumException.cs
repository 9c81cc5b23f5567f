namespace Podium;

/// <summary>
/// A problem the user can fix (bad input, bad config). Its message is one line that names the file or
/// key at fault; the CLI prints it without a stack trace.
/// </summary>
public class PodiumException(string message, Exception? inner = null) : Exception(message, inner);
