using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Testing.Core;
using Payload = Logistics.LockerLink.DevicePayload;

namespace Logistics.Api.Tests.Lockers;

/// <summary>
/// Issue 15: boards back after a core outage send their backlogs at once; the gateway stores and applies them in
/// batches (one transaction each, one cumulative ack). Nothing is lost or doubled, also for a board whose link is cut
/// while its batches are under way and which then resends from the welcome, repeats included. No timings here: those
/// are the perf runner's (<c>perf -- locker</c>).
/// </summary>
public sealed class ReconnectTests : BoardTest
{
    private const int Boards = 24;
    private const int Events = 60;

    [Fact]
    public async Task BoardsReconnectingAtOnceWithBacklogsLoseAndDoubleNothing()
    {
        using var core = await CoreKeyAsync();
        var keys = Enumerable.Range(0, Boards).Select(_ => ECDsa.Create(ECCurve.NamedCurves.nistP256)).ToList();
        try
        {
            var lockers = new List<string>();
            foreach (var (key, i) in keys.Select((k, i) => (k, i)))
            {
                var registered = await Server.Operator().PostJsonAsync("/api/lockers", new
                {
                    name = $"Consigne {i + 1}",
                    address = "Place du Marché",
                    latitude = 47.41,
                    longitude = 0.98,
                    devicePublicKey = TestBoard.PublicKeyPem(key),
                    compartments = Enumerable.Range(1, 4).Select(n => new { number = n, size = "S", lowHeight = false }),
                });
                lockers.Add((await registered.JsonAsync()).GetProperty("id").GetString()!);
            }

            // Every board connects (one handshake after another: they share one address here), then all send their whole
            // backlog at once, without waiting for acks.
            var boards = new List<TestBoard>();
            for (var i = 0; i < Boards; i++)
            {
                var board = new TestBoard(lockers[i], keys[i], core);
                await board.ConnectAsync(Server.BaseAddress);
                Assert.Equal(0, board.Welcomed);
                boards.Add(board);
            }

            var at = Server.Clock.GetUtcNow();
            var cut = boards[0];
            await Task.WhenAll(boards.Select(async board =>
            {
                for (var seq = 1L; seq <= Events; seq++)
                {
                    await board.SendEventAsync(board.Event(seq, Backlog(seq), at));
                }

                if (board != cut)
                {
                    await board.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: Events });
                }
            }));

            // The first board's link is cut once the core has acknowledged part of its backlog, while the rest is in the
            // core's batches; it reconnects and resends from a few events before what the welcome says is stored.
            await cut.WaitForAsync(m => m is CoreMessage.Ack);
            cut.Cut();
            await using var again = new TestBoard(lockers[0], keys[0], core);
            await again.ConnectAsync(Server.BaseAddress);
            Assert.InRange(again.Welcomed, 1, Events);
            for (var seq = Math.Max(1, again.Welcomed - 5); seq <= Events; seq++)
            {
                await again.SendEventAsync(again.Event(seq, Backlog(seq), at));
            }

            await again.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: Events });
            await Server.SettleAsync();

            var expectedKinds = Enumerable.Range(1, Events).Select(seq => Backlog(seq).GetType().Name).ToList();
            foreach (var locker in lockers)
            {
                // Stored once each, in seq order, as sent.
                var stored = await Server.QueryAsync("select seq, kind from locker_device_events where locker_id = $1 order by seq", r => (Seq: r.GetInt64(0), Kind: r.GetString(1)), locker);
                Assert.Equal(Enumerable.Range(1, Events).Select(s => (long)s), stored.Select(s => s.Seq));
                Assert.Equal(expectedKinds, stored.Select(s => s.Kind));

                // Applied once each: every open and close on the locker's stream, one forced-open alarm in the read model.
                var doors = await Server.QueryAsync(
                    "select event_type, count(*) from es_events where stream_id like '%' || $1 and (event_type like '%DoorOpened' or event_type like '%DoorClosed') group by event_type order by event_type",
                    r => (Type: r.GetString(0), Count: r.GetInt64(1)),
                    locker);
                Assert.Equal(2, doors.Count);
                Assert.All(doors, d => Assert.Equal(Events / 3, d.Count));
                var view = await Net.LockerAsync(locker);
                var alarm = Assert.Single(view.GetProperty("alarms").EnumerateArray());
                Assert.Equal("ForcedOpen", alarm.GetProperty("kind").GetString());
                Assert.All(view.GetProperty("compartments").EnumerateArray(), c => Assert.False(c.GetProperty("doorOpen").GetBoolean()));
            }

            Assert.Empty(await SecurityEventsAsync());
            foreach (var board in boards.Skip(1))
            {
                await board.DisposeAsync();
            }
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    // Door cycles over 4 compartments (a pulse, the door opened, closed), the 10th cycle a door forced open.
    private static Payload Backlog(long seq)
    {
        var cycle = (seq - 1) / 3;
        var compartment = (int)(cycle % 4) + 1;
        return ((seq - 1) % 3) switch
        {
            0 => new Payload.PulseSent(compartment, 1, 40, null),
            1 => new Payload.DoorOpened(compartment, cycle != 9, null),
            _ => new Payload.DoorClosed(compartment, 2000),
        };
    }
}
