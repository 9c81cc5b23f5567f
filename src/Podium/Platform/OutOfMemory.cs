using System.Globalization;
using System.Text.RegularExpressions;

namespace Podium.Platform;

/// <summary>
/// Recognises running out of memory, whichever layer ran out: .NET's <see cref="OutOfMemoryException"/>, libtorch's CPU allocator
/// ("DefaultCPUAllocator: can't allocate memory: you tried to allocate N bytes") or CUDA's ("CUDA out of memory"), also when wrapped
/// by a loader thread. Neither text says which setting to lower; <see cref="Explain"/> does.
/// </summary>
public static partial class OutOfMemory
{
    public static bool Is(Exception e) => Find(e) is not null;

    /// <summary>One line: what ran out (with the allocation's size when libtorch gives it) and the settings that would lower
    /// it.</summary>
    public static string Explain(Exception e, string doing, string settings)
    {
        var cause = Find(e) ?? e;
        var size = Bytes().Match(cause.Message);
        var what = size.Success
            ? $"an allocation of {double.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture) / (1 << 30):0.##} GB failed"
            : cause is OutOfMemoryException ? ".NET could not allocate" : "the device allocator failed";
        return $"out of memory{(doing.Length > 0 ? " " + doing : "")} ({what}): lower {settings}";
    }

    private static Exception? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is OutOfMemoryException || e.Message.Contains("not enough memory", StringComparison.Ordinal)
                || e.Message.Contains("can't allocate memory", StringComparison.Ordinal)
                || e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)) return e;
            if (e is AggregateException a && a.InnerExceptions.Select(Find).FirstOrDefault(x => x is not null) is { } inner) return inner;
        }
        return null;
    }

    [GeneratedRegex(@"allocate (\d+) bytes")]
    private static partial Regex Bytes();
}
