using OpenCvSharp;

namespace Podium.Data;

/// <summary>
/// Decodes image files with OpenCV into 8-bit RGB or grayscale. 16-bit, palette, RGBA and gray
/// inputs all come out with the requested channels. <see cref="Check"/> finds files that would
/// fail (or silently decode as garbage) before training starts.
/// </summary>
public static class ImageDecoder
{
    public static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm", ".pbm",
        ".gif"];

    /// <summary>The environment variable that sets <see cref="MaxPixels"/> for a process (as OPENCV_IO_MAX_IMAGE_PIXELS does
    /// OpenCV's own, 2^30 pixels).</summary>
    public const string MaxPixelsVariable = "PODIUM_MAX_PIXELS";

    /// <summary>Images with more pixels are refused from their header, before any decoding: 100 million (300 MB as RGB) unless
    /// <see cref="MaxPixelsVariable"/> says otherwise. A few kilobytes of PNG can hold gigabytes of pixels.</summary>
    public static long MaxPixels => Limit.Value;

    // Read once per process, as OpenCV reads its own (every image read asks; a bad value fails every ask with the same line).
    private static readonly Lazy<long> Limit = new(() =>
    {
        var text = Environment.GetEnvironmentVariable(MaxPixelsVariable);
        if (string.IsNullOrWhiteSpace(text)) return 100_000_000;
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
            out var n) && n > 0 ? n
            : throw new PodiumException($"{MaxPixelsVariable}: '{text}' is not a positive whole number of pixels");
    });

    public static bool HasImageExtension(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Why a file listed as data is not a usable image (its extension, or <see cref="Check"/>'s finding), or null when it
    /// is.</summary>
    public static string? Problem(string path) => HasImageExtension(path) ? Check(path) : "not an image file (extension)";

    public static Mat Read(string path, int channels)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new PodiumException($"{path}: cannot read ({e.Message})"); }
        return Decode(bytes, channels, path);
    }

    public static Mat Decode(byte[] bytes, int channels, string nameForErrors)
    {
        if (bytes.Length == 0) throw new PodiumException($"{nameForErrors}: empty file (0 bytes)");
        if (Sniff(bytes.AsSpan(0, Math.Min(16, bytes.Length))) is { } format && TooLarge(bytes, format) is { } large)
            throw new PodiumException($"{nameForErrors}: {large}");
        // IMREAD_COLOR / GRAYSCALE give 8 bits whatever the source depth, expand palettes and drop alpha.
        var mode = channels == 1 ? ImreadModes.Grayscale : ImreadModes.Color;
        var mat = Cv2.ImDecode(bytes, mode);
        if (mat.Empty()) throw new PodiumException($"{nameForErrors}: cannot decode image ({Describe(bytes)})");
        if (channels == 3) Cv2.CvtColor(mat, mat, ColorConversionCodes.BGR2RGB);
        return mat;
    }

    /// <summary>
    /// Structural checks that need no full decode: empty files, unknown or unsupported formats,
    /// truncated JPEG/PNG. Returns null for a file that looks fine, else the problem in a few words.
    /// </summary>
    public static string? Check(string path)
    {
        if (!File.Exists(path)) return "file not found";
        Span<byte> tail = stackalloc byte[16];
        // The opened stream's length, not FileInfo's: for a symbolic link FileInfo reports the link itself.
        byte[] start;
        using (var f = File.OpenRead(path))
        {
            if (f.Length == 0) return "empty file (0 bytes)";
            // Most headers are in the first bytes; a JPEG's frame header may follow long EXIF data.
            start = new byte[(int)Math.Min(f.Length, 4096)];
            f.ReadExactly(start);
            f.Seek(Math.Max(0, f.Length - tail.Length), SeekOrigin.Begin);
            int n = f.Read(tail);
            tail = tail[..n];
        }
        var format = Sniff(start.AsSpan(0, Math.Min(16, start.Length)));
        if (format is null) return "not an image (unrecognised file header)";
        if (format == "jpeg" && ImageHeader.Size(start, format) is null) start = Head(path, ImageHeader.Bytes);
        if (TooLarge(start, format) is { } large) return large;
        if (format == "gif") return "GIF is not supported (palette/animation format): convert it to PNG";
        if (format == "jpeg")
        {
            // A complete JPEG ends with the EOI marker FF D9, possibly followed by padding; when not, its markers are walked (bytes
            // after a complete image are allowed, as libjpeg allows them).
            var t = tail.TrimEnd((byte)0);
            if ((t.Length < 2 || t[^2] != 0xFF || t[^1] != 0xD9) && !JpegMarkers.HasEnd(Head(path, JpegMarkers.MaxWalk)))
                return "truncated JPEG (no end-of-image marker)";
        }
        if (format == "png" && tail.IndexOf("IEND"u8) < 0) return "truncated PNG (no IEND chunk)";
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext.Length > 0 && !ExtensionMatches(ext, format)) return $"{format.ToUpperInvariant()} data behind a '{ext}' extension";
        return null;
    }

    /// <summary>Why an image's header rules it out by size (over <see cref="MaxPixels"/>), or null.</summary>
    private static string? TooLarge(ReadOnlySpan<byte> start, string format)
    {
        if (ImageHeader.Size(start, format) is not { } size) return null;
        var (w, h) = size;
        long limit = MaxPixels;
        return w * h <= limit ? null : $"{w}x{h} pixels ({w * h / 1e6:0.#} MP) is over the {limit / 1e6:0.#} MP limit: downscale the " +
            $"image, or raise {MaxPixelsVariable}";
    }

    /// <summary>The first <paramref name="limit"/> bytes of a file (all of a smaller one).</summary>
    private static byte[] Head(string path, int limit)
    {
        using var f = File.OpenRead(path);
        var bytes = new byte[(int)Math.Min(f.Length, limit)];
        f.ReadExactly(bytes);
        return bytes;
    }

    private static bool ExtensionMatches(string ext, string format) => format switch
    {
        "jpeg" => ext is ".jpg" or ".jpeg" or ".jpe" or ".jfif",
        "png" => ext == ".png",
        "bmp" => ext == ".bmp",
        "tiff" => ext is ".tif" or ".tiff",
        "webp" => ext == ".webp",
        "pnm" => ext is ".pgm" or ".ppm" or ".pbm" or ".pnm",
        _ => true,
    };

    public static string? Sniff(ReadOnlySpan<byte> h)
    {
        if (h.Length >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) return "jpeg";
        if (h.Length >= 8 && h[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return "png";
        if (h.Length >= 6 && (h[..6].SequenceEqual("GIF87a"u8) || h[..6].SequenceEqual("GIF89a"u8))) return "gif";
        if (h.Length >= 2 && h[0] == (byte)'B' && h[1] == (byte)'M') return "bmp";
        if (h.Length >= 4 && (h[..4].SequenceEqual("II*\0"u8) || h[..4].SequenceEqual("MM\0*"u8))) return "tiff";
        if (h.Length >= 12 && h[..4].SequenceEqual("RIFF"u8) && h[8..12].SequenceEqual("WEBP"u8)) return "webp";
        if (h.Length >= 2 && h[0] == (byte)'P' && h[1] is >= (byte)'1' and <= (byte)'6') return "pnm";
        return null;
    }

    private static string Describe(byte[] bytes) => Sniff(bytes.AsSpan(0, Math.Min(16, bytes.Length))) is { } f
        ? $"{f.ToUpperInvariant()} data, {bytes.Length} bytes"
        : "unrecognised header";
}
