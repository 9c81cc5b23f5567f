using System.Buffers.Binary;
using System.Text.Json;

namespace Podium.Models;

/// <summary>
/// Checks a .safetensors file's layout against the format's rules before any tensor is read: an 8-byte little-endian header
/// length (at most 100 MB, as the reference reader allows), a JSON header of {name: {dtype, shape, data_offsets}}, and every
/// tensor's bytes inside the data and as long as its shape says. A malformed file would otherwise reach the reader as a 2^62-byte
/// allocation or a read past the end, with nothing naming the file.
/// </summary>
internal static class SafetensorsCheck
{
    private const long MaxHeader = 100_000_000;

    private static readonly Dictionary<string, int> DtypeBytes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1,
        ["U8"] = 1,
        ["I8"] = 1,
        ["F8_E5M2"] = 1,
        ["F8_E4M3"] = 1,
        ["I16"] = 2,
        ["U16"] = 2,
        ["F16"] = 2,
        ["BF16"] = 2,
        ["I32"] = 4,
        ["U32"] = 4,
        ["F32"] = 4,
        ["I64"] = 8,
        ["U64"] = 8,
        ["F64"] = 8,
    };

    /// <summary>Throws a <see cref="PodiumException"/> naming the file and its first problem.</summary>
    public static void Check(string path)
    {
        if (Problem(path) is { } problem) throw new PodiumException($"{path}: not a valid safetensors file ({problem})");
    }

    private static string? Problem(string path)
    {
        byte[] header;
        long dataBytes;
        using (var f = File.OpenRead(path))
        {
            if (f.Length < 8) return $"{f.Length} bytes; the header length alone takes 8";
            Span<byte> size = stackalloc byte[8];
            f.ReadExactly(size);
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(size);
            if (n > (ulong)(f.Length - 8)) return $"its header length {n} is more than the {f.Length - 8} bytes after it";
            if (n > MaxHeader) return $"its header length {n} is over the format's {MaxHeader} bytes";
            header = new byte[n];
            f.ReadExactly(header);
            dataBytes = f.Length - 8 - (long)n;
        }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException e) { return $"its header is not JSON: {e.Message.Split('.')[0]}"; }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return "its header is not a JSON object";
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                if (Tensor(entry.Value, dataBytes) is { } problem) return $"tensor '{entry.Name}': {problem}";
            }
        }
        return null;
    }

    private static string? Tensor(JsonElement t, long dataBytes)
    {
        if (t.ValueKind != JsonValueKind.Object || !t.TryGetProperty("dtype", out var dtype) || !t.TryGetProperty("shape", out var shape)
            || !t.TryGetProperty("data_offsets", out var offsets))
            return "not an object with dtype, shape and data_offsets";
        if (dtype.ValueKind != JsonValueKind.String || !DtypeBytes.TryGetValue(dtype.GetString()!, out int width))
            return $"unknown dtype {dtype}";
        if (shape.ValueKind != JsonValueKind.Array || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            return "shape must be a list and data_offsets a [begin, end] pair";
        // The byte count in decimal: a shape's product can overflow any integer type.
        var bytes = new System.Numerics.BigInteger(width);
        foreach (var d in shape.EnumerateArray())
        {
            if (!d.TryGetInt64(out long dim) || dim < 0) return $"shape {shape} holds {d}, not a size";
            bytes *= dim;
        }
        if (!offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            return $"data_offsets {offsets} is not a [begin, end] pair with begin <= end";
        if (end > dataBytes) return $"data_offsets {offsets} run past the {dataBytes} bytes of data";
        if (bytes != end - begin)
            return $"shape {shape} of {dtype.GetString()} needs {bytes} bytes, data_offsets {offsets} give {end - begin}";
        return null;
    }
}
