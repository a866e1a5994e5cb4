extern alias LockerHost;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using LockerHost::Logistics.Lockers.Host.Journal;
using LockerHost::Logistics.Lockers.Host.Link;
using Logistics.LockerLink;

namespace Logistics.Perf.LockerBoard;

/// <summary>
/// The core back after an outage: <c>boards</c> boards, each with <c>events</c> door-cycle events journalled while it
/// was away, reconnect at once. Each board is the real journal (SQLite, synchronous=FULL) and link client without its
/// doors (commands are answered, not journalled, so each board sends exactly its backlog), and connects from its own
/// loopback address, as boards each come from their own. Timed from the links' start until every journal holds its
/// last event acknowledged; then the store is checked: every board's events stored once, in seq order, and the doors
/// applied once each.
/// </summary>
internal static class Reconnect
{
    public sealed record Result(TimeSpan Drained, int Boards, int Events, int Lost, int Doubled);

    public static async Task<Result> MeasureAsync(string folder, int boards, int events, TextWriter progress)
    {
        await using var core = await PerfCore.StartAsync(Path.Combine(folder, "core"));
        using var coreKey = ECDsa.Create();
        coreKey.ImportFromPem(core.CorePublicKeyPem);
        var signature = new CommandSignature(coreKey);
        var fleet = new List<Board>(boards);
        try
        {
            var setUp = Stopwatch.StartNew();
            for (var b = 0; b < boards; b++)
            {
                var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var id = await core.RegisterLockerAsync($"Consigne {b + 1}", key.ExportSubjectPublicKeyInfoPem(), 6);
                var journal = Journal.Open(Path.Combine(folder, $"board-{b}.db"), id, new BoardClock(TimeProvider.System, Guid.NewGuid(), () => true));
                journal.Write(w =>
                {
                    for (var i = 0; i < events; i++)
                    {
                        w.Append(BacklogDrain.DoorCycle(i));
                    }

                    return 0;
                });
                var connector = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = From(new IPAddress([127, 0, (byte)(1 + (b / 250)), (byte)(2 + (b % 250))])) });
                var link = new LinkClient(
                    new LinkOptions { CoreUrl = core.Url, Connector = connector },
                    journal,
                    new DeviceCredential(id, key),
                    signature,
                    command => new DevicePayload.CommandResult(command.Command.CommandId, CommandStatus.Executed, null));
                fleet.Add(new Board(id, key, journal, link, connector));
            }

            await progress.WriteLineAsync($"{boards} boards registered, {events} events journalled on each, in {setUp.Elapsed.TotalSeconds:F1} s; reconnecting all");
            using var stop = new CancellationTokenSource();
            var drain = Stopwatch.StartNew();
            var links = fleet.Select(f => Task.Run(() => f.Link.RunAsync(stop.Token))).ToList();
            var lastReport = TimeSpan.Zero;
            while (fleet.Any(f => f.Journal.AckedSeq < events))
            {
                await Task.Delay(20);
                if (drain.Elapsed - lastReport > TimeSpan.FromSeconds(5))
                {
                    lastReport = drain.Elapsed;
                    await progress.WriteLineAsync($"  {drain.Elapsed.TotalSeconds:F0} s: {fleet.Count(f => f.Journal.AckedSeq >= events)} boards drained");
                }

                if (drain.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException("The boards were not drained in 5 minutes.");
                }
            }

            var elapsed = drain.Elapsed;
            await stop.CancelAsync();
            await Task.WhenAll(links);

            // Lost: a seq of 1..events missing from the store; doubled: stored more than once, or a door applied more than once.
            var stored = await core.QueryAsync(
                "select locker_id, seq, count(*) from locker_device_events group by locker_id, seq", r => (Locker: r.GetString(0), Seq: r.GetInt64(1), Count: r.GetInt64(2)));
            var doors = await core.QueryAsync(
                "select stream_id, count(*) from es_events where event_type like '%DoorOpened' or event_type like '%DoorClosed' group by stream_id", r => (Stream: r.GetString(0), Count: r.GetInt64(1)));
            var expectedDoors = Enumerable.Range(0, events).Count(i => BacklogDrain.DoorCycle(i) is DevicePayload.DoorOpened or DevicePayload.DoorClosed);
            var byLocker = stored.ToLookup(s => s.Locker);
            var lost = fleet.Sum(f => Enumerable.Range(1, events).Count(seq => !byLocker[f.Id].Any(s => s.Seq == seq)));
            var doubled = stored.Sum(s => (int)(s.Count - 1)) + (int)doors.Sum(d => Math.Max(0, d.Count - expectedDoors));
            lost += (int)fleet.Sum(f => Math.Max(0, expectedDoors - doors.Where(d => d.Stream.EndsWith(f.Id, StringComparison.Ordinal)).Sum(d => d.Count)));
            return new Result(elapsed, boards, events, lost, doubled);
        }
        finally
        {
            foreach (var board in fleet)
            {
                board.Journal.Dispose();
                board.Key.Dispose();
                board.Connector.Dispose();
            }
        }
    }

    // Binds each board's connection to its own loopback address (the gateway limits handshakes per address).
    internal static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> From(IPAddress local) => async (context, cancellationToken) =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(local, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };

    private sealed record Board(string Id, ECDsa Key, Journal Journal, LinkClient Link, HttpMessageInvoker Connector);
}
