using System.Reflection;

namespace Podium.Cli;

/// <summary>The version podium --version prints: the build's version and the commit it was built from.</summary>
public static class CliVersion
{
    public static string Text
    {
        get
        {
            // InformationalVersion is VERSION+COMMIT when the build knew its commit (Podium.Cli.csproj asks git).
            var info = typeof(CliVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? "0.0.0";
            var parts = info.Split('+', 2);
            return parts.Length == 2 ? $"{parts[0]} (commit {parts[1]})" : parts[0];
        }
    }
}
