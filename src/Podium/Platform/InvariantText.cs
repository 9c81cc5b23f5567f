using System.Globalization;
using System.Runtime.CompilerServices;

namespace Podium.Platform;

/// <summary>
/// An interpolated string formatted with the invariant culture. Unlike FormattableString it also takes
/// interpolated strings joined with +, so a long message can span lines.
/// </summary>
[InterpolatedStringHandler]
public ref struct InvariantText
{
    private DefaultInterpolatedStringHandler _inner;

    public InvariantText(int literalLength, int formattedCount) =>
        _inner = new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture);

    public void AppendLiteral(string value) => _inner.AppendLiteral(value);
    public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);
    public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);
    public void AppendFormatted<T>(T value, int alignment) => _inner.AppendFormatted(value, alignment);
    public void AppendFormatted<T>(T value, int alignment, string? format) => _inner.AppendFormatted(value, alignment, format);
    public void AppendFormatted(string? value) => _inner.AppendFormatted(value);

    /// <summary>The text (once: the buffer is returned to the pool).</summary>
    public override string ToString() => _inner.ToStringAndClear();
}
