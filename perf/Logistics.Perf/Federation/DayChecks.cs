using System.Diagnostics;
using Logistics.Perf.LockerBoard;

namespace Logistics.Perf.Federation;

/// <summary>After the day: waits until it has settled, then compares what was acknowledged with what the store holds.</summary>
internal static class DayChecks
{
    public sealed record Settled(long EventsInStore, int Lost, int OpenedTwice, int Expired, IReadOnlyDictionary<string, long> Statuses);

    /// <summary>Waits (bounded) until the parcels left to expire have expired, and every board's journal is acknowledged.</summary>
    public static async Task WaitAsync(PerfCore core, IReadOnlyList<DayBoard> boards, DayTally tally, TimeSpan collectWithin, TextWriter progress)
    {
        var waited = Stopwatch.StartNew();
        var limit = collectWithin + TimeSpan.FromSeconds(90);
        while (true)
        {
            var expired = (await core.QueryAsync("select count(*) from rm_parcels where status = 'Expired'", r => r.GetInt64(0)))[0];
            var unacked = boards.Count(b => b.App.Journal.AckedSeq < b.App.Journal.LastSeq);
            var pending = (await core.QueryAsync("select count(*) from locker_commands where result_at is null and expires_at > now()", r => r.GetInt64(0)))[0];
            if (expired >= tally.LeftToExpire && unacked == 0 && pending == 0)
            {
                return;
            }

            if (waited.Elapsed > limit)
            {
                await progress.WriteLineAsync($"  gave up waiting after {waited.Elapsed.TotalSeconds:F0} s: {expired} of {tally.LeftToExpire} expired, {unacked} boards with unacknowledged events, {pending} commands pending");
                return;
            }

            await Task.Delay(1_000);
        }
    }

    public static async Task<Settled> CheckAsync(PerfCore core, IReadOnlyList<DayBoard> boards, DayTally tally)
    {
        // Acknowledged to a client: each promised event is in its parcel's stream.
        var stored = (await core.QueryAsync("select stream_id, event_type from es_events where stream_id like 'parcel-%'", r => (Stream: r.GetString(0), Type: r.GetString(1))))
            .Select(e => (e.Stream, Type: Normal(e.Type))).ToHashSet();
        var streams = stored.Select(s => s.Stream).ToHashSet();
        var missing = tally.Acknowledged.Where(a => !stored.Contains((Stream(a.Parcel, streams), Normal(a.Event)))).ToList();
        var lost = missing.Count;
        foreach (var (parcel, type) in missing.Take(5))
        {
            tally.Problems.Enqueue($"lost: {type} of parcel {parcel}");
        }

        // Acknowledged to a board: every seq up to its acknowledged one is stored.
        var deviceEvents = (await core.QueryAsync("select locker_id, seq from locker_device_events", r => (Locker: r.GetString(0), Seq: r.GetInt64(1)))).ToHashSet();
        foreach (var board in boards)
        {
            var acked = board.App.Journal.AckedSeq;
            for (var seq = 1L; seq <= acked; seq++)
            {
                if (!deviceEvents.Contains((board.Id, seq)))
                {
                    lost++;
                    tally.Problems.Enqueue($"lost: event {seq} of board {board.Id}");
                }
            }
        }

        var statuses = (await core.QueryAsync("select status, count(*) from rm_parcels group by status", r => (Status: r.GetString(0), Count: r.GetInt64(1))))
            .ToDictionary(s => s.Status, s => s.Count);
        var events = (await core.QueryAsync("select count(*) from es_events", r => r.GetInt64(0)))[0];
        return new Settled(events, lost, boards.Sum(b => b.OpenedTwice), (int)statuses.GetValueOrDefault("Expired"), statuses);
    }

    // The stored type may carry a namespace or version ("Logistics.Domain.Parcels.ParcelDeposited, v1"): compare the bare name.
    private static string Normal(string type)
    {
        var name = type.Split(',')[0];
        return name[(name.LastIndexOf('.') + 1)..];
    }

    private static string Stream(string parcel, HashSet<string> streams) =>
        streams.Contains(parcel) ? parcel : "parcel-" + parcel;
}
