using System.Runtime.CompilerServices;

namespace Podium.Tests;

/// <summary>Before any test: tests that run TorchSharp before touching Podium would otherwise start oneDNN before Podium caps
/// its instruction set where it must (<see cref="Platform.TorchRuntime"/>).</summary>
internal static class TestAssemblyStart
{
    [ModuleInitializer]
    internal static void Start() => Platform.TorchRuntime.CapOneDnnIsa();
}
