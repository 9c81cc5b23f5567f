using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using Google.Protobuf;

namespace Podium.Tracking;

/// <summary>
/// A TensorBoard event file (events.out.tfevents.*): TFRecord framing (little-endian length, masked CRC32C of the length,
/// the record, masked CRC32C of the record) around tensorflow.Event messages, encoded field by field from the published
/// .proto files (event.proto, summary.proto, tensor.proto, the hparams plugin's plugin_data.proto). Buffered; flushed when
/// asked and on dispose.
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    private readonly FileStream _file;

    public EventFileWriter(string folder, double wallTime)
    {
        Directory.CreateDirectory(folder);
        Path = System.IO.Path.Combine(folder, $"events.out.tfevents.{(long)wallTime:D10}.{Environment.MachineName}.podium");
        _file = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        Write(Event(wallTime, 0, e => e.WriteString(3, "brain.Event:2")));
    }

    public string Path { get; }

    /// <summary>A scalar (summary value simple_value).</summary>
    public void Scalar(string tag, double wallTime, long step, double value) =>
        Summary(wallTime, step, v =>
        {
            v.WriteString(1, tag);
            v.WriteFloat(2, (float)value);
        });

    /// <summary>A PNG or JPEG picture (summary value image).</summary>
    public void Image(string tag, double wallTime, long step, byte[] encoded, int height, int width, int channels) =>
        Summary(wallTime, step, v =>
        {
            v.WriteString(1, tag);
            v.WriteMessage(4, i =>
            {
                i.WriteInt32(1, height);
                i.WriteInt32(2, width);
                i.WriteInt32(3, channels);
                i.WriteBytes(4, encoded);
            });
        });

    /// <summary>Text (Markdown) for the text plugin: a string tensor.</summary>
    public void Text(string tag, double wallTime, long step, string markdown) =>
        Summary(wallTime, step, v =>
        {
            v.WriteString(1, tag);
            v.WriteMessage(9, m => m.WriteMessage(1, p => p.WriteString(1, "text")));
            v.WriteMessage(8, t =>
            {
                t.WriteInt32(1, 7); // DT_STRING
                t.WriteMessage(2, _ => { }); // a scalar: no dimensions
                t.WriteBytes(8, System.Text.Encoding.UTF8.GetBytes(markdown));
            });
        });

    /// <summary>The hparams plugin's session start: the run's hyperparameters (numbers as numbers, true/false as booleans).</summary>
    public void HParamsStart(double wallTime, string group, IReadOnlyDictionary<string, string> hparams) =>
        HParams("_hparams_/session_start_info", wallTime, 3, s =>
        {
            foreach (var (key, value) in hparams)
                s.WriteMessage(1, entry =>
                {
                    entry.WriteString(1, key);
                    entry.WriteMessage(2, v =>
                    {
                        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                            v.WriteDouble(2, number);
                        else if (value is "true" or "false") v.WriteBool(4, value == "true");
                        else v.WriteString(3, value);
                    });
                });
            s.WriteString(4, group);
            s.WriteDouble(5, wallTime);
        });

    /// <summary>The hparams plugin's session end: 1 success, 2 failure, 3 running, 4 unknown.</summary>
    public void HParamsEnd(double wallTime, int status) =>
        HParams("_hparams_/session_end_info", wallTime, 4, s =>
        {
            s.WriteInt32(1, status);
            s.WriteDouble(2, wallTime);
        });

    /// <summary>A session start at a step: TensorBoard drops what earlier files logged from this step on (a resumed run
    /// re-logs them).</summary>
    public void SessionStart(double wallTime, long step) => Write(Event(wallTime, step, e => e.WriteMessage(6, s => s.WriteInt32(1, 1))));

    public void Flush() => _file.Flush();

    public void Dispose() => _file.Dispose();

    private void HParams(string tag, double wallTime, int field, Action<ProtoWriter> data) =>
        Summary(wallTime, 0, v =>
        {
            v.WriteString(1, tag);
            v.WriteMessage(9, m => m.WriteMessage(1, p =>
            {
                p.WriteString(1, "hparams");
                p.WriteMessage(2, content =>
                {
                    content.WriteInt32(1, 0); // version
                    content.WriteMessage(field, data);
                });
            }));
            // The plugin's summaries carry an empty float tensor, as TensorBoard's own writer makes them.
            v.WriteMessage(8, t =>
            {
                t.WriteInt32(1, 1); // DT_FLOAT
                t.WriteMessage(2, _ => { });
            });
        });

    private void Summary(double wallTime, long step, Action<ProtoWriter> value) =>
        Write(Event(wallTime, step, e => e.WriteMessage(5, s => s.WriteMessage(1, value))));

    private static byte[] Event(double wallTime, long step, Action<ProtoWriter> what) => ProtoWriter.Encode(e =>
    {
        e.WriteDouble(1, wallTime);
        if (step != 0) e.WriteInt64(2, step);
        what(e);
    });

    private void Write(byte[] record)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)record.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc(record));
        _file.Write(header);
        _file.Write(record);
        _file.Write(footer);
    }

    /// <summary>TFRecord's masked CRC32C: rotate right by 15 and add 0xa282ead8.</summary>
    public static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        crc ^= 0xFFFFFFFF;
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8);
    }

    /// <summary>Protocol-buffer fields written in order; nested messages are encoded first and written with their length.</summary>
    private sealed class ProtoWriter(CodedOutputStream output)
    {
        public static byte[] Encode(Action<ProtoWriter> fields)
        {
            using var buffer = new MemoryStream();
            using (var output = new CodedOutputStream(buffer, leaveOpen: true)) fields(new ProtoWriter(output));
            return buffer.ToArray();
        }

        public void WriteDouble(int field, double v) => Tag(field, WireFormat.WireType.Fixed64).WriteDouble(v);
        public void WriteFloat(int field, float v) => Tag(field, WireFormat.WireType.Fixed32).WriteFloat(v);
        public void WriteInt64(int field, long v) => Tag(field, WireFormat.WireType.Varint).WriteInt64(v);
        public void WriteInt32(int field, int v) => Tag(field, WireFormat.WireType.Varint).WriteInt32(v);
        public void WriteBool(int field, bool v) => Tag(field, WireFormat.WireType.Varint).WriteBool(v);
        public void WriteString(int field, string v) => Tag(field, WireFormat.WireType.LengthDelimited).WriteString(v);
        public void WriteBytes(int field, byte[] v) => Tag(field, WireFormat.WireType.LengthDelimited).WriteBytes(ByteString.CopyFrom(v));
        public void WriteMessage(int field, Action<ProtoWriter> fields) => WriteBytes(field, Encode(fields));

        private CodedOutputStream Tag(int field, WireFormat.WireType type)
        {
            output.WriteTag(field, type);
            return output;
        }
    }
}
