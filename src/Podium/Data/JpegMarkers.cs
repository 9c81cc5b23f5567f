namespace Podium.Data;

/// <summary>
/// Walks a JPEG's marker segments to its end-of-image marker: a file whose last bytes are not FF D9 may still be complete, with
/// bytes after its end (a phone's appended data, a second copy), and libjpeg reads it whole. Only a file whose walk runs out of
/// bytes before EOI is truncated.
/// </summary>
internal static class JpegMarkers
{
    /// <summary>How much of a file a walk reads at most (memory stays bounded; no real photo's markers run longer).</summary>
    public const int MaxWalk = 256 << 20;

    /// <summary>Whether the JPEG bytes reach an end-of-image marker (SOI, segments, entropy-coded scans, EOI).</summary>
    public static bool HasEnd(ReadOnlySpan<byte> b)
    {
        int i = 2; // after SOI
        while (i + 1 < b.Length)
        {
            if (b[i] != 0xFF) return false; // not at a marker: the structure is broken
            byte marker = b[i + 1];
            if (marker == 0xFF) { i++; continue; } // fill bytes before a marker
            if (marker == 0xD9) return true;
            if (marker is 0x01 or >= 0xD0 and <= 0xD7) { i += 2; continue; } // markers without a length
            if (i + 3 >= b.Length) return false;
            i += 2 + (b[i + 2] << 8 | b[i + 3]);
            if (marker != 0xDA) continue;
            // After a scan header, entropy-coded data up to the next marker (FF 00 is a stuffed byte, FF D0-D7 a restart).
            while (i + 1 < b.Length && !(b[i] == 0xFF && b[i + 1] is not (0x00 or 0xFF) and not (>= 0xD0 and <= 0xD7))) i++;
        }
        return false;
    }
}
