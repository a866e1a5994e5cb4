using Logistics.LockerLink;
using Logistics.Lockers.Host.Journal;
using Logistics.Testing;
using Microsoft.Data.Sqlite;

namespace Logistics.Lockers.Host.Tests.Journal;

public sealed class JournalTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void SequenceNumbersAreGapFreeFromOneAndSurviveReopening()
    {
        using (var journal = Open())
        {
            Assert.Equal([1L, 2L, 3L], Enumerable.Range(0, 3).Select(i => journal.Write(w => w.Append(new DevicePayload.ForcedOpen(i)))));
        }

        using var reopened = Open();
        Assert.Equal(4, reopened.Write(w => w.Append(new DevicePayload.ForcedOpen(9))));
        Assert.Equal([1L, 2L, 3L, 4L], reopened.ReadFrom(1, 100).Select(e => e.Seq));
    }

    [Fact]
    public void EventsCarryDeviceBootMonotonicAndWallClock()
    {
        using var journal = Open();
        _clock.Advance(TimeSpan.FromSeconds(2));

        journal.Write(w => w.Append(new DevicePayload.ForcedOpen(3)));

        var e = Assert.Single(journal.ReadFrom(1, 10));
        Assert.Equal(("locker-7", 2000L, _clock.GetUtcNow(), true), (e.DeviceId, e.MonotonicMs, e.WallClock, e.ClockSynchronised));
        Assert.Equal(new DevicePayload.ForcedOpen(3), e.Payload);
    }

    [Fact]
    public void CumulativeAcknowledgementDropsEverythingUpToIt()
    {
        using var journal = Open();
        for (var i = 0; i < 5; i++)
        {
            journal.Write(w => w.Append(new DevicePayload.ForcedOpen(i)));
        }

        journal.Acknowledge(3);
        journal.Acknowledge(2);

        Assert.Equal(3, journal.AckedSeq);
        Assert.Equal([4L, 5L], journal.ReadFrom(1, 100).Select(e => e.Seq));
        Assert.Throws<InvalidOperationException>(() => journal.Acknowledge(6));
        Assert.Equal(6, journal.Write(w => w.Append(new DevicePayload.ForcedOpen(1))));
    }

    [Fact]
    public void JournalLostOnTheBoardResumesAfterWhatTheCoreHolds()
    {
        using var journal = Open();
        journal.Write(w => w.Append(new DevicePayload.ForcedOpen(1)));

        journal.Write(w => w.ResumeAfter(40));

        Assert.Equal(41, journal.Write(w => w.Append(new DevicePayload.ForcedOpen(1))));
    }

    [Fact]
    public void TransactionThatFailsLeavesNoTrace()
    {
        using var journal = Open();

        Assert.Throws<InvalidOperationException>(() => journal.Write(w =>
        {
            w.Append(new DevicePayload.ForcedOpen(1));
            w.BeginUnlock(1, new UnlockCause(UnlockKind.Collection, ParcelId: "p"));
            throw new InvalidOperationException("power cut");
        }));

        Assert.Equal(0, journal.LastSeq);
        Assert.Empty(journal.UnfinishedIntents());
    }

    [Fact]
    public void JournalFileIsInWalMode()
    {
        Open().Dispose();

        using var db = new SqliteConnection($"Data Source={_dir.File("journal.db")};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", cmd.ExecuteScalar());
    }

    public void Dispose() => _dir.Dispose();

    private Host.Journal.Journal Open() =>
        Host.Journal.Journal.Open(_dir.File("journal.db"), "locker-7", new BoardClock(_clock, Guid.NewGuid(), () => true));
}
