using System.Buffers.Binary;

namespace Podium.Tests;

/// <summary>
/// An event-file reader written for the tests from the published formats alone, sharing no code with Podium's writer:
/// TFRecord framing (uint64 length, masked CRC32C of it, data, masked CRC32C of the data; CRC32C by its own table,
/// polynomial 0x82F63B78) and the protobuf wire format decoded into field number → values (varints as ulong, fixed64 and
/// fixed32 as their bytes, length-delimited as bytes), so a test reads any message with the .proto file's field numbers.
/// </summary>
internal static class TfEventReader
{
    private static readonly uint[] Table = [.. Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78 ^ (c >> 1) : c >> 1;
        return c;
    })];

    private static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        crc ^= 0xFFFFFFFFu;
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8);
    }

    /// <summary>The records of a file, each checked against both CRCs.</summary>
    public static List<byte[]> Records(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        for (var at = 0; at < bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at, 8));
            Assert.Equal(Masked(bytes.AsSpan(at, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4)));
            var data = bytes.AsSpan(at + 12, length);
            Assert.Equal(Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + length, 4)));
            records.Add(data.ToArray());
            at += 16 + length;
        }
        return records;
    }

    /// <summary>One message's fields.</summary>
    public static Dictionary<int, List<object>> Message(byte[] data)
    {
        var fields = new Dictionary<int, List<object>>();
        for (var at = 0; at < data.Length;)
        {
            var key = Varint(data, ref at);
            var (field, wire) = ((int)(key >> 3), (int)(key & 7));
            object value = wire switch
            {
                0 => Varint(data, ref at),
                1 => data[at..(at += 8)],
                5 => data[at..(at += 4)],
                2 => LengthDelimited(data, ref at),
                _ => throw new InvalidDataException($"wire type {wire}"),
            };
            if (!fields.TryGetValue(field, out var list)) fields[field] = list = [];
            list.Add(value);
        }
        return fields;
    }

    private static byte[] LengthDelimited(byte[] data, ref int at)
    {
        var length = (int)Varint(data, ref at);
        return data[at..(at += length)];
    }

    private static ulong Varint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }

    public static double Double(object fixed64) => BitConverter.ToDouble((byte[])fixed64);
    public static float Float(object fixed32) => BitConverter.ToSingle((byte[])fixed32);
    public static string Text(object bytes) => System.Text.Encoding.UTF8.GetString((byte[])bytes);
    public static Dictionary<int, List<object>> Sub(Dictionary<int, List<object>> m, int field) => Message((byte[])m[field][0]);

    /// <summary>One summary value of an event file: the event's step and wall time, the value's tag and its fields.</summary>
    public sealed record Value(long Step, double WallTime, string Tag, Dictionary<int, List<object>> Fields);

    /// <summary>Every summary value in a run folder's event files, in file and record order, and the events' file versions.</summary>
    public static (List<Value> Values, List<string> Versions, List<long> SessionStarts) Read(string folder)
    {
        var values = new List<Value>();
        var versions = new List<string>();
        var starts = new List<long>();
        foreach (var file in Directory.GetFiles(folder, "events.out.tfevents.*").Order(StringComparer.Ordinal))
            foreach (var record in Records(file))
            {
                var e = Message(record); // tensorflow.Event: wall_time 1, step 2, file_version 3, summary 5, session_log 6
                var wall = Double(e[1][0]);
                var step = e.TryGetValue(2, out var s) ? (long)(ulong)s[0] : 0;
                if (e.TryGetValue(3, out var version)) versions.Add(Text(version[0]));
                if (e.TryGetValue(6, out _)) starts.Add(step);
                if (!e.TryGetValue(5, out var summary)) continue;
                foreach (var v in Message((byte[])summary[0]).GetValueOrDefault(1) ?? [])
                {
                    var value = Message((byte[])v); // Summary.Value: tag 1, simple_value 2, image 4, tensor 8, metadata 9
                    values.Add(new Value(step, wall, Text(value[1][0]), value));
                }
            }
        return (values, versions, starts);
    }
}
