namespace Podium.Tests;

/// <summary>libtorch's random generator is one per process: an in-process run that must repeat
/// cannot share the process with tests drawing from it, so these run alone.</summary>
[CollectionDefinition(nameof(GlobalTorchRng), DisableParallelization = true)]
public sealed class GlobalTorchRng;
