namespace Podium.Config;

/// <summary>
/// An options record registered under several names, one per variant of a family (<c>efficientnet_b0</c> ... <c>_b7</c>): the
/// family's own variant table says which, so a name is written once. <see cref="ComponentRegistry{TOptions}"/> finds it like a
/// <see cref="ComponentAttribute"/>; the component is built knowing its name.
/// </summary>
public interface IComponentFamily
{
    static abstract IReadOnlyCollection<string> Names { get; }
}
