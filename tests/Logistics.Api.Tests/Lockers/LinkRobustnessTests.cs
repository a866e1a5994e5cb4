using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Logistics.Application.Lockers;
using Logistics.LockerLink;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;
using Payload = Logistics.LockerLink.DevicePayload;

namespace Logistics.Api.Tests.Lockers;

/// <summary>Issue 11, class 12: the link cannot be wedged, nor kept by a replaced key, nor flooded with handshakes.</summary>
public sealed class LinkRobustnessTests : BoardTest
{
    /// <summary>Event frames the core cannot read, each with the seq the board waits an ack for.</summary>
    public static TheoryData<string> UnreadableEvents() =>
    [
        """{"type":"event","body":{"deviceId":"{device}","seq":{seq},"bootId":"00000000-0000-0000-0000-000000000001","monotonicMs":1,"wallClock":"2026-01-01T00:00:00Z","clockSynchronised":true,"payload":{"kind":"somethingNewer","x":1}}}""",
        """{"type":"event","body":{"deviceId":"{device}","seq":{seq},"payload":null}}""",
        """{"type":"event","body":{"seq":{seq},"wallClock":"not a time"}}""",
        """{"type":"event","body":{"seq":{seq},"payload":{"kind":"doorOpened","compartment":"one"}}}""",
        """{"type":"somethingNewer","body":{"seq":{seq}}}""",
    ];

    [Theory]
    [MemberData(nameof(UnreadableEvents))]
    public async Task AnEventFrameTheCoreCannotReadIsStoredAsUnknownAcknowledgedAndTheLinkGoesOn(string frame)
    {
        await using var board = await BoardAsync();
        var now = Server.Clock.GetUtcNow();
        await board.SendEventAsync(board.Event(1, new Payload.ForcedOpen(1), now));
        await board.SendRawAsync(frame.Replace("{device}", Net.LockerId, StringComparison.Ordinal).Replace("{seq}", "2", StringComparison.Ordinal));
        await board.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: 2 });

        // Frames with nothing to acknowledge are recorded and skipped; the session goes on.
        await board.SendRawAsync("this is not json");
        await board.SendRawAsync("""{"type":"hello","deviceId":"x"}""");
        await board.SendEventAsync(board.Event(3, new Payload.DoorClosed(1, 500), now));
        await board.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: 3 });

        Assert.Equal(
            [(1, "ForcedOpen"), (2, "Unknown"), (3, "DoorClosed")],
            await Server.QueryAsync("select seq, kind from locker_device_events where locker_id = $1 order by seq", r => (r.GetInt64(0), r.GetString(1)), Net.LockerId));
        Assert.Equal(
            [(SecurityEventKinds.UnknownFrame, 2), (SecurityEventKinds.MalformedFrame, null), (SecurityEventKinds.MalformedFrame, (long?)null)],
            await SecurityEventsAsync());
        Assert.False(board.Closed);
    }

    [Fact]
    public async Task ADatabaseErrorEndsOnlyThatSessionCleanlyAndTheLockerIsNotShownOnline()
    {
        await using var board = await BoardAsync();
        Assert.True(await OnlineAsync());

        // The table the session stores events in is gone for a moment: a real PostgreSQL error inside the session.
        await Server.QueryAsync("alter table locker_device_events rename to locker_device_events_away", _ => 0);
        try
        {
            await board.SendEventAsync(board.Event(1, new Payload.ForcedOpen(1), Server.Clock.GetUtcNow()));
            await board.WaitForCloseAsync();
        }
        finally
        {
            await Server.QueryAsync("alter table locker_device_events_away rename to locker_device_events", _ => 0);
        }

        Assert.Equal(WebSocketCloseStatus.InternalServerError, board.CloseStatus);
        Assert.Empty(board.Acks);
        await WaitUntilAsync(() => Task.FromResult(Server.Services.GetRequiredService<LockerGateway>().OpenSessions(Net.LockerId) == 0));
        Assert.False(await OnlineAsync());

        // The board reconnects and resends what was not acknowledged: applied once, and it is online again.
        await using var again = await BoardAsync(register: false);
        Assert.Equal(0, again.Welcomed);
        await again.SendEventAsync(again.Event(1, new Payload.ForcedOpen(1), Server.Clock.GetUtcNow()));
        await again.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: 1 });
        Assert.True(await OnlineAsync());
        Assert.Single((await Net.LockerAsync()).GetProperty("alarms").EnumerateArray());
    }

    [Fact]
    public async Task ALockerIsShownOnlineOnlyWhileOneOfItsSessionsBeats()
    {
        await using var board = await BoardAsync();
        Assert.True(await OnlineAsync());

        // The node serving the session lost its database (it can neither beat nor report the board offline).
        await Server.QueryAsync("update locker_sessions set heartbeat_at = now() - interval '2 minutes' where locker_id = $1", _ => 0, Net.LockerId);

        Assert.False(await OnlineAsync());
        var listed = await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync("/api/lockers"));
        Assert.False(listed.EnumerateArray().Single(l => l.GetProperty("lockerId").GetString() == Net.LockerId).GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task ReplacingABoardsKeyClosesItsOpenSessionsAndOnlyTheNewKeyConnects()
    {
        await using var board = await BoardAsync();
        using var replacement = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await RegisterKeyAsync(replacement);
        await board.WaitForCloseAsync();

        Assert.True(board.Closed);
        await WaitUntilAsync(() => Task.FromResult(Server.Services.GetRequiredService<LockerGateway>().OpenSessions(Net.LockerId) == 0));
        await using var old = await BoardAsync(register: false);
        Assert.Equal(-1, old.Welcomed);
        await using var renewed = await BoardAsync(replacement, register: false);
        Assert.Equal(0, renewed.Welcomed);
        Assert.Equal(1, Server.Services.GetRequiredService<LockerGateway>().OpenSessions(Net.LockerId));
    }

    [Fact]
    public async Task WelcomeAndAcksAreSignedForTheirConnectionOnly()
    {
        // TestBoard verifies every welcome and ack against its own connection (device, nonce) and the core's key.
        await using var first = await BoardAsync();
        await first.SendEventAsync(first.Event(1, new Payload.ForcedOpen(1), Server.Clock.GetUtcNow()));
        var ack = (CoreMessage.Ack)await first.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: 1 });
        await first.DisposeAsync();
        await using var second = await BoardAsync(register: false);
        using var core = await CoreKeyAsync();

        Assert.True(LinkSignatures.Verify(ack, first.Session, core));
        Assert.False(LinkSignatures.Verify(ack, second.Session, core));
        Assert.False(LinkSignatures.Verify(ack, first.Session with { DeviceId = Net.FarLockerId }, core));
        Assert.False(LinkSignatures.Verify(ack with { UpToSeq = 2 }, first.Session, core));
        Assert.Equal(1, second.Welcomed);
    }

    [Fact]
    public async Task UnauthenticatedHandshakesAreLimitedPerAddress()
    {
        await RegisterKeyAsync(DeviceKey);
        var silent = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < LockerGateway.MaxPendingPerAddress; i++)
            {
                silent.Add(await OpenSilentAsync());
            }

            var refused = await Assert.ThrowsAsync<WebSocketException>(OpenSilentAsync);
            Assert.Contains("429", refused.Message, StringComparison.Ordinal);

            // One handshake ends: there is room for a board again.
            silent[0].Abort();
            silent[0].Dispose();
            silent.RemoveAt(0);
            await WaitUntilAsync(async () =>
            {
                await using var board = new TestBoard(Net.LockerId, DeviceKey, await CoreKeyAsync());
                try
                {
                    await board.ConnectAsync(Server.BaseAddress);
                    return board.Welcomed == 0;
                }
                catch (WebSocketException)
                {
                    return false;
                }
            });
        }
        finally
        {
            foreach (var socket in silent)
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }

    private async Task<bool> OnlineAsync()
    {
        await Server.SettleAsync();
        return (await Net.LockerAsync()).GetProperty("locker").GetProperty("online").GetBoolean();
    }

    private async Task<ClientWebSocket> OpenSilentAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(LinkProtocol.SubProtocol);
        try
        {
            await socket.ConnectAsync(new Uri($"ws://{Server.BaseAddress.Authority}{LinkProtocol.Path}"), CancellationToken.None);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "waited too long");
            await Task.Delay(50);
        }
    }
}
