namespace Podium.Config;

/// <summary>
/// A component's options: a record of init-only properties, each with its default; its YAML keys are the properties' snake_case
/// names. Rules on one value are attributes (<see cref="RuleAttribute"/>); rules between values go in <see cref="Validate"/>.
/// YAML (through <see cref="OptionBinder"/>) and C# (<c>new X.Options { ... }</c>) make the same record, and the component's
/// constructor checks it with <see cref="OptionRules"/> either way.
/// </summary>
public abstract record ComponentOptions
{
    /// <summary>Throws a <see cref="ConfigException"/> naming the keys when values break a rule between them.</summary>
    public virtual void Validate() { }
}
