namespace Podium.Config;

/// <summary>An <see cref="IOptionValue"/> that <see cref="OptionBinder"/> reads from YAML through its static Read.</summary>
public interface IOptionValueOf<TSelf> : IOptionValue where TSelf : IOptionValueOf<TSelf>
{
    /// <summary>The value from raw YAML (text, a list, a map); a <see cref="ConfigException"/> names <paramref name="key"/>.</summary>
    static abstract TSelf Read(object raw, string key);
}
