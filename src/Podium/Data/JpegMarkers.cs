namespace Podium.Data;

/// <summary>
/// Walks a JPEG's marker segments: to its end-of-image marker (a file whose last bytes are not FF D9 may still be complete, with
/// bytes after its end (a phone's appended data, a second copy), and libjpeg reads it whole; only a file whose walk runs out of
/// bytes before EOI is truncated), or to its frame header, for its size before any decoding.
/// </summary>
internal static class JpegMarkers
{
    /// <summary>How much of a file a walk reads at most (memory stays bounded; no real photo's markers run longer).</summary>
    public const int MaxWalk = 256 << 20;

    /// <summary>Whether the JPEG bytes reach an end-of-image marker (SOI, segments, entropy-coded scans, EOI).</summary>
    public static bool HasEnd(ReadOnlySpan<byte> b)
    {
        int i = 2; // after SOI
        while (Next(b, ref i, out byte marker, out _))
        {
            if (marker == 0xD9) return true;
            if (marker != 0xDA) continue;
            // After a scan header, entropy-coded data up to the next marker (FF 00 is a stuffed byte, FF D0-D7 a restart).
            while (i + 1 < b.Length && !(b[i] == 0xFF && b[i + 1] is not (0x00 or 0xFF) and not (>= 0xD0 and <= 0xD7))) i++;
        }
        return false;
    }

    /// <summary>The frame's width and height, from the first SOF segment before the first scan; null when the bytes end
    /// first.</summary>
    public static (long Width, long Height)? FrameSize(ReadOnlySpan<byte> b)
    {
        int i = 2;
        while (Next(b, ref i, out byte marker, out int segment))
        {
            // SOF0-SOF15 hold the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
                return segment + 7 <= b.Length ? (b[segment + 5] << 8 | b[segment + 6], b[segment + 3] << 8 | b[segment + 4]) : null;
            if (marker is 0xDA or 0xD9) return null;
        }
        return null;
    }

    /// <summary>
    /// Steps over the marker at <paramref name="i"/> (and fill bytes before it) and its segment: <paramref name="segment"/> is
    /// where the segment starts (its length field). False where the bytes end or no marker stands (a broken structure).
    /// </summary>
    private static bool Next(ReadOnlySpan<byte> b, ref int i, out byte marker, out int segment)
    {
        marker = 0;
        segment = 0;
        while (i + 1 < b.Length && b[i] == 0xFF && b[i + 1] == 0xFF) i++; // fill bytes before a marker
        if (i + 1 >= b.Length || b[i] != 0xFF) return false;
        marker = b[i + 1];
        segment = i + 2;
        if (marker is 0xD9 or 0x01 or >= 0xD0 and <= 0xD7) { i += 2; return true; } // markers without a length
        if (i + 3 >= b.Length) return false;
        i += 2 + (b[i + 2] << 8 | b[i + 3]);
        return true;
    }
}
