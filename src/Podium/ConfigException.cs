namespace Podium;

/// <summary>A config key or value that is unknown or invalid.</summary>
public sealed class ConfigException(string message, Exception? inner = null) : PodiumException(message, inner);
