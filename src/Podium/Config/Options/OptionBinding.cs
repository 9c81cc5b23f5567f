namespace Podium.Config;

/// <summary>
/// What binding a YAML map into options needs from where the map sits: the image size that <see cref="ImageSizeAttribute"/>
/// options default to, and a reader for option types the binder does not know itself (a list of nested transforms).
/// </summary>
/// <param name="Nested">(option type, raw YAML value, key) to the value; null when the binder should refuse the type.</param>
public sealed record OptionBinding(int? ImageSize = null, Func<Type, object, string, object>? Nested = null);
