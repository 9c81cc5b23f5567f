using Spectre.Console;

namespace Podium.Cli;

/// <summary>
/// Progress with ETA for work that is not a training loop (scans, splits): a live bar on a
/// terminal, a plain line every tenth elsewhere. The report callback may be called from any thread.
/// </summary>
public sealed class ConsoleWorkProgress : Platform.IWorkProgress
{
    public T Run<T>(string title, int total, Func<Action<int>, T> work)
    {
        if (!ConsoleProgress.Interactive)
        {
            int lastTenth = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var gate = new object();
            return work(done =>
            {
                int tenth = total == 0 ? 10 : done * 10 / total;
                // Decided and printed under one lock: threads finishing out of order must not print counts out of order.
                lock (gate)
                {
                    if (tenth <= lastTenth) return;
                    lastTenth = tenth;
                    var left = done == 0 ? 0 : clock.Elapsed.TotalSeconds / done * (total - done);
                    Console.WriteLine($"  {title}: {done}/{total} ({tenth * 10}%), eta {left:F0} s");
                }
            });
        }
        return ConsoleProgress.Display().Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(1, total));
                var gate = new object();
                var result = work(done =>
                {
                    lock (gate) task.Value = Math.Max(task.Value, done);
                });
                task.Value = task.MaxValue;
                return result;
            });
    }
}
