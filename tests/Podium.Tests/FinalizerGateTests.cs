using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>TorchSharp's implicit Scalars and the finalizer thread (see <see cref="FinalizerGate"/>).</summary>
[Collection(nameof(GlobalTorchRng))] // alone: other tests' loops move the shared gate
public class FinalizerGateTests
{
    private sealed class Flag(ManualResetEventSlim finalized)
    {
        ~Flag() => finalized.Set();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Abandon(ManualResetEventSlim finalized) => _ = new Flag(finalized);

    [Fact]
    public void NothingIsFinalizedWhileHeldAndAllOfItAfter()
    {
        var finalized = new ManualResetEventSlim();
        FinalizerGate.Checkpoint();
        Abandon(finalized);
        GC.Collect();
        Assert.False(finalized.Wait(300), "finalized while the gate held");
        FinalizerGate.Open();
        Assert.True(finalized.Wait(TimeSpan.FromSeconds(30)), "not finalized after the gate opened");
    }

    [Fact]
    public void AddsBesideAnAllocatingThreadSurviveWhenHeld()
    {
        // Unheld, a.add(b) (an implicit Scalar alpha) fails within about 20,000 calls beside this thread.
        using var a = ones(8);
        using var b = ones(8);
        bool stop = false;
        var churn = new Thread(() => { while (!Volatile.Read(ref stop)) GC.KeepAlive(new byte[200_000]); });
        churn.Start();
        try
        {
            for (int k = 0; k < 200; k++)
            {
                FinalizerGate.Checkpoint();
                for (int i = 0; i < 500; i++)
                    using (NewDisposeScope()) _ = a.add(b);
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            churn.Join();
            FinalizerGate.Open();
        }
    }
}
