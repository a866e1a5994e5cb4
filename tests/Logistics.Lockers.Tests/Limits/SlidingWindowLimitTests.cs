using Logistics.Lockers.Limits;

namespace Logistics.Lockers.Tests.Limits;

public sealed class SlidingWindowLimitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EleventhRemoteOpenInFiveMinutesIsRefused()
    {
        var limit = new SlidingWindowLimit(10, TimeSpan.FromMinutes(5));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(limit.TryRecord(T0.AddSeconds(i * 20)));
        }

        Assert.False(limit.TryRecord(T0.AddSeconds(200)));
        Assert.Equal(TimeSpan.FromSeconds(100), limit.RetryAfter(T0.AddSeconds(200)));
        Assert.True(limit.TryRecord(T0.AddMinutes(5)));
        Assert.False(limit.TryRecord(T0.AddMinutes(5)));
    }

    [Fact]
    public void LoadKeepsOnlyTheNewestOccurrences()
    {
        var limit = new SlidingWindowLimit(2, TimeSpan.FromMinutes(5));

        limit.Load([T0.AddMinutes(2), T0, T0.AddMinutes(1)]);

        Assert.Equal([T0.AddMinutes(1), T0.AddMinutes(2)], limit.Snapshot());
    }
}
