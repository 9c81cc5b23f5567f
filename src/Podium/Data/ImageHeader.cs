using System.Buffers.Binary;

namespace Podium.Data;

/// <summary>
/// An image's width and height read from its header, without decoding its pixels: a 50 KB PNG can hold 20000x20000 pixels that
/// decode to gigabytes, so a file's size says nothing and the header is asked first. Null when the header does not say (an
/// unknown layout, or a JPEG whose frame header lies beyond the bytes given); the decoder then decides.
/// </summary>
internal static class ImageHeader
{
    /// <summary>How many leading bytes of a file are enough for any header here (a JPEG's EXIF and thumbnails come before its
    /// frame header).</summary>
    public const int Bytes = 1 << 20;

    public static (long Width, long Height)? Size(ReadOnlySpan<byte> b, string format)
    {
        try
        {
            return format switch
            {
                "png" when b.Length >= 24 => (BinaryPrimitives.ReadUInt32BigEndian(b[16..]), BinaryPrimitives.ReadUInt32BigEndian(b[20..])),
                "jpeg" => JpegMarkers.FrameSize(b),
                "bmp" when b.Length >= 26 => Bmp(b),
                "webp" when b.Length >= 30 => WebP(b),
                "tiff" => Tiff(b),
                "pnm" => Pnm(b),
                _ => null,
            };
        }
        catch (ArgumentOutOfRangeException) { return null; } // a header cut short: the decoder reports it
    }

    private static (long, long)? Bmp(ReadOnlySpan<byte> b)
    {
        uint dib = BinaryPrimitives.ReadUInt32LittleEndian(b[14..]);
        if (dib == 12) return (BinaryPrimitives.ReadUInt16LittleEndian(b[18..]), BinaryPrimitives.ReadUInt16LittleEndian(b[20..]));
        // A negative height marks rows stored top-down.
        long width = BinaryPrimitives.ReadInt32LittleEndian(b[18..]), height = BinaryPrimitives.ReadInt32LittleEndian(b[22..]);
        return (Math.Abs(width), Math.Abs(height));
    }

    private static (long, long)? WebP(ReadOnlySpan<byte> b)
    {
        var chunk = b[12..16];
        if (chunk.SequenceEqual("VP8X"u8)) return (1 + (b[24] | b[25] << 8 | b[26] << 16), 1 + (b[27] | b[28] << 8 | b[29] << 16));
        if (chunk.SequenceEqual("VP8L"u8))
        {
            uint v = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
            return (1 + (v & 0x3FFF), 1 + (v >> 14 & 0x3FFF));
        }
        if (chunk.SequenceEqual("VP8 "u8))
            return (BinaryPrimitives.ReadUInt16LittleEndian(b[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]) & 0x3FFF);
        return null;
    }

    private static (long, long)? Tiff(ReadOnlySpan<byte> b)
    {
        bool little = b[0] == (byte)'I';
        uint ifd = U32(b, 4, little);
        if (ifd + 2 > b.Length) return null;
        long width = -1, height = -1;
        int entries = U16(b, (int)ifd, little);
        for (int k = 0; k < entries; k++)
        {
            int e = (int)ifd + 2 + 12 * k;
            ushort tag = U16(b, e, little), type = U16(b, e + 2, little);
            long value = type == 3 ? U16(b, e + 8, little) : U32(b, e + 8, little); // SHORT or LONG, stored in the entry itself
            if (tag == 256) width = value;
            else if (tag == 257) height = value;
        }
        return width >= 0 && height >= 0 ? (width, height) : null;
    }

    private static uint U32(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt32BigEndian(b[at..]);

    private static ushort U16(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt16BigEndian(b[at..]);

    private static (long, long)? Pnm(ReadOnlySpan<byte> b)
    {
        // "P5 <width> <height> ...", with # comments to the end of a line anywhere between the numbers.
        var numbers = new List<long>(2);
        int i = 2;
        while (numbers.Count < 2 && i < b.Length)
        {
            if (b[i] == (byte)'#') { while (i < b.Length && b[i] != (byte)'\n') i++; continue; }
            if (b[i] is >= (byte)'0' and <= (byte)'9')
            {
                long n = 0;
                while (i < b.Length && b[i] is >= (byte)'0' and <= (byte)'9' && n < int.MaxValue) n = n * 10 + (b[i++] - '0');
                numbers.Add(n);
                continue;
            }
            i++;
        }
        return numbers.Count == 2 ? (numbers[0], numbers[1]) : null;
    }
}
