namespace Podium.IO;

/// <summary>A file's SHA-256 (what weights are checked by, and what ties a threshold file to the checkpoint it was chosen on).</summary>
public static class FileHash
{
    /// <summary>The file's SHA-256 in lower-case hex.</summary>
    public static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
