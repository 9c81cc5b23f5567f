using System.Reflection;
using System.Text;

namespace Podium.Config;

/// <summary>One option of a <see cref="ComponentOptions"/> record: its YAML key and the rules stated on it.</summary>
public sealed record OptionProperty(string Key, PropertyInfo Property, IReadOnlyList<RuleAttribute> Rules, OneNumberAttribute? OneNumber,
    bool ImageSize)
{
    public Type Type => Property.PropertyType;

    public static OptionProperty Of(PropertyInfo p) => new(p.GetCustomAttribute<KeyAttribute>()?.Name ?? Snake(p.Name), p,
        p.GetCustomAttributes<RuleAttribute>(inherit: true).ToList(), p.GetCustomAttribute<OneNumberAttribute>(),
        p.GetCustomAttribute<ImageSizeAttribute>() is not null);

    /// <summary>MaxHoles -> max_holes.</summary>
    public static string Snake(string name)
    {
        var s = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) s.Append('_');
            s.Append(char.ToLowerInvariant(name[i]));
        }
        return s.ToString();
    }
}
