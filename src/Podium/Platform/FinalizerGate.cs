using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Podium.Platform;

/// <summary>
/// Keeps .NET's finalizer thread parked while native tensor work runs. TorchSharp 0.107 hands implicitly converted
/// Scalars to libtorch without keeping them alive (<c>x.add(y)</c> passes <c>alpha = 1</c>, and nothing refers to it once
/// its handle is read), so a GC during the native call may run the Scalar's finalizer, which frees it while libtorch
/// still reads it: a step fails with "Expected false to be true" (c10::Scalar::toFloat) or worse. Reproduced with
/// <c>a.add(b)</c> in a loop beside a thread that allocates: it fails within 13,000–22,000 calls; held, not in 794,000.
/// Loops call <see cref="Checkpoint"/> between iterations; about once a second the finalizer thread is let go to run
/// what was queued meanwhile, and parked again.
/// </summary>
public static class FinalizerGate
{
    /// <summary>How long one hold may last: a longer step lets finalizers run again (TorchSharp's factories wait for them when an allocation fails).</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(1);
    private static readonly Lock Guard = new();
    private static IDisposable? _current;
    private static long _since;

    /// <summary>At a loop boundary (no native call of this thread in flight): keeps the finalizer thread parked, renewing the hold about once a second.</summary>
    public static void Checkpoint()
    {
        lock (Guard)
        {
            if (_current is not null && Stopwatch.GetElapsedTime(_since) < Renewal) return;
            _current?.Dispose();
            _current = Hold();
            _since = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>After a loop: lets the finalizer thread go until the next <see cref="Checkpoint"/>.</summary>
    public static void Open()
    {
        lock (Guard)
        {
            _current?.Dispose();
            _current = null;
        }
    }

    /// <summary>Parks the finalizer thread (after it has run what is queued) until the returned hold is disposed, or <see cref="Limit"/>.</summary>
    public static IDisposable Hold()
    {
        var parked = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        Abandon(parked, release);
        GC.Collect(0, GCCollectionMode.Forced, blocking: true); // the parker dies young and is queued for finalization
        if (!parked.Wait(TimeSpan.FromSeconds(60))) release.Set(); // not reached (a finalizer stuck elsewhere): no hold, no harm
        return new Release(release);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Abandon(ManualResetEventSlim parked, ManualResetEventSlim release) => _ = new Parker(parked, release);

    private sealed class Parker(ManualResetEventSlim parked, ManualResetEventSlim release)
    {
        ~Parker()
        {
            parked.Set();
            release.Wait(Limit);
        }
    }

    private sealed class Release(ManualResetEventSlim release) : IDisposable
    {
        public void Dispose() => release.Set();
    }
}
