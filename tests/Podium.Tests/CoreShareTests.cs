using Podium.Platform;

namespace Podium.Tests;

public class CoreShareTests
{
    [Theory]
    [InlineData(0, new int[0], 2, 2)]          // alone: every core
    [InlineData(0, new[] { 0 }, 2, 1)]          // two equals on 2 cores: one thread each
    [InlineData(0, new[] { 0, 0 }, 16, 5)]      // three equals on 16 cores
    [InlineData(0, new[] { 0, 0, 0 }, 2, 1)]    // more trainings than cores: still one thread
    [InlineData(0, new[] { 19 }, 2, 2)]         // a niced background job does not take a foreground training's cores...
    [InlineData(19, new[] { 0 }, 2, 1)]         // ...and keeps one thread itself
    [InlineData(5, new[] { 5, 10 }, 8, 4)]      // only trainings as nice as this one share with it
    public void TrainingsAtTheLowestNicenessShareTheCores(int mine, int[] others, int cores, int expected) =>
        Assert.Equal(expected, CoreShare.ShareFor(mine, others, cores));

    [Fact]
    public void RegistrationsAreSeenWhileTheyLiveAndDeadOnesAreRemoved()
    {
        int before = CoreShare.LiveTrainings();
        using (var a = CoreShare.Join(fixedThreads: 1))
        {
            Assert.Equal(1, a.Threads);
            Assert.Equal(before + 1, CoreShare.LiveTrainings());
            using var b = CoreShare.Join(fixedThreads: null);
            Assert.Equal(before + 2, CoreShare.LiveTrainings());
            // b shares with a (and whatever else runs here): never more than its equal share.
            Assert.True(b.Threads <= Math.Max(1, CoreShare.Cores / 2),
                $"{b.Threads} threads beside another training on {CoreShare.Cores} cores");
        }
        Assert.Equal(before, CoreShare.LiveTrainings());

        // A file nobody holds locked is a killed training's: it does not count, and the next look removes it.
        var stale = Path.Combine(CoreShare.Folder, $"{int.MaxValue}-stale.lock");
        File.WriteAllText(stale, "");
        Assert.Equal(before, CoreShare.LiveTrainings());
        Assert.False(File.Exists(stale));
    }
}
