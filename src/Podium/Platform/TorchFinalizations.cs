using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;
using TorchSharp;

namespace Podium.Platform;

/// <summary>
/// Counts TorchSharp Scalars and Tensors that .NET's finalizer thread frees while this listener lives (the runtime's
/// GC FinalizeObject events). What Podium makes is kept alive, disposed or owned by a dispose scope, so it is never
/// finalized. One that is finalized was a temporary nothing held: a Scalar made implicitly (by a conversion such as
/// <c>t * 0.5</c>, or inside TorchSharp), or a Tensor wrapper used outside any dispose scope (<c>p.grad?.zero_()</c>),
/// and a collection on another thread at the wrong moment frees it while libtorch still reads it ("Expected false to
/// be true", or a segmentation fault). Tests use this to prove a path has none.
/// </summary>
public sealed class TorchFinalizations : EventListener
{
    private static readonly nint ScalarType = typeof(Scalar).TypeHandle.Value;
    private static readonly nint TensorType = typeof(torch.Tensor).TypeHandle.Value;
    private static readonly nint SentinelType = typeof(Sentinel).TypeHandle.Value;
    private long _scalars, _tensors, _sentinels;

    /// <summary>Scalars finalized since this listener started.</summary>
    public long Scalars => Interlocked.Read(ref _scalars);

    /// <summary>Tensor wrappers finalized since this listener started.</summary>
    public long Tensors => Interlocked.Read(ref _tensors);

    /// <summary>
    /// Finalizes everything unreachable now, waits until the listener has heard of it, and returns the Scalars and Tensors counted.
    /// Events arrive late and in batches; a sentinel finalized after everything else, whose event comes last on the
    /// finalizer thread, says when they are all in.
    /// </summary>
    public (long Scalars, long Tensors) Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long seen = Interlocked.Read(ref _sentinels);
        Abandon();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // The runtime delivers its events from a session thread that a saturated machine can keep waiting for seconds (5 s were
        // exceeded once on 2 busy cores); the sentinel says when they are in, so a long limit costs nothing when they come.
        for (int i = 0; i < 1200 && Interlocked.Read(ref _sentinels) == seen; i++) Thread.Sleep(25);
        if (Interlocked.Read(ref _sentinels) == seen) throw new InvalidOperationException("runtime events did not arrive within 30 s");
        return (Scalars, Tensors);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Abandon() => _ = new Sentinel();

    private sealed class Sentinel
    {
        ~Sentinel() { }
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        // The runtime's provider; keyword 0x1 (GC) at verbose level carries FinalizeObject with the object's type.
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName != "FinalizeObject" || e.Payload is not { Count: > 0 } payload) return;
        if (payload[0] is not nint type) return;
        if (type == ScalarType) Interlocked.Increment(ref _scalars);
        else if (type == TensorType) Interlocked.Increment(ref _tensors);
        else if (type == SentinelType) Interlocked.Increment(ref _sentinels);
    }
}
