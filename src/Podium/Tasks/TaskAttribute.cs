namespace Podium.Tasks;

/// <summary>Registers an <see cref="ITask"/> under the name configs give as <c>task:</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TaskAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
