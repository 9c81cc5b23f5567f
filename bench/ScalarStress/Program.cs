using System.Diagnostics;
using static TorchSharp.torch;

// The implicit-Scalar race (issue 15): TorchSharp 0.107 turns `alpha = 1` of a.add(b) into a Scalar that nothing
// references once its handle is read, so a garbage collection during the native call may finalize it while libtorch
// still reads it ("Expected false to be true" from c10::Scalar::toFloat, or a crash). This harness adds two tensors in a
// loop beside a thread that allocates (forcing collections), once the implicit way and once with Podium's kept-alive
// Scalar, and counts failures and Scalar finalizations.
//   dotnet run -c Release --project bench/ScalarStress -- [implicit|explicit] [CALLS]
var mode = args.Length > 0 ? args[0] : "explicit";
long calls = args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
if (mode is not ("implicit" or "explicit")) { Console.Error.WriteLine("mode: implicit or explicit"); return 2; }

using var counter = new Podium.Platform.TorchFinalizations();
var a = ones(64);
var b = ones(64);
var stop = false;
var allocator = new Thread(() =>
{
    var keep = new object[64];
    for (long i = 0; !Volatile.Read(ref stop); i++) keep[i % keep.Length] = new byte[1024 + (int)(i % 4096)];
})
{ IsBackground = true };
allocator.Start();
int gen0 = GC.CollectionCount(0);
var clock = Stopwatch.StartNew();
long done = 0, failures = 0;
string? firstFailure = null;
for (; done < calls; done++)
{
    try
    {
        if (mode == "implicit") { using var c = a.add(b); }
        else { using var c = a.add(b, Podium.Platform.Scalars.One); }
    }
    catch (Exception e)
    {
        failures++;
        firstFailure ??= $"call {done}: {e.GetType().Name}: {e.Message.Split('\n')[0]}";
        if (failures >= 10) { done++; break; }
    }
}
Volatile.Write(ref stop, true);
allocator.Join();
long finalized = counter.Settle().Scalars;
Console.WriteLine($"{mode}: {done:N0} adds in {clock.Elapsed.TotalSeconds:F1} s beside an allocating thread " +
    $"({GC.CollectionCount(0) - gen0:N0} collections): " +
                  $"{failures} failures, {finalized:N0} Scalars finalized");
if (firstFailure is not null) Console.WriteLine($"first failure at {firstFailure}");
return failures == 0 ? 0 : 1;
