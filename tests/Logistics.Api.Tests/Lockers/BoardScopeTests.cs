using System.Net;
using System.Text.Json;
using Logistics.Application.Lockers;
using Logistics.Domain.Lockers;
using Logistics.LockerLink;
using Logistics.Testing.Core;
using Payload = Logistics.LockerLink.DevicePayload;

namespace Logistics.Api.Tests.Lockers;

/// <summary>Issue 11, class 3: a board speaks only for its own locker, and its clock is not trusted blindly.</summary>
public sealed class BoardScopeTests : BoardTest
{
    private const int NoSuchCompartment = 99;

    /// <summary>Payload kinds that name no compartment, parcel or command (nothing of another locker to name).</summary>
    private static readonly Type[] NamesNothing =
        [typeof(Payload.CodeRejected), typeof(Payload.LabelScanned), typeof(Payload.UpdateInstalled), typeof(Payload.UpdateRolledBack), typeof(Payload.UpdateRefused)];

    [Fact]
    public async Task EveryEventNamingAnotherLockersCompartmentParcelOrCommandOrAnotherDeviceIsRefusedRecordedAndAcknowledged()
    {
        var here = await Net.DepositedAsync();
        var there = await Net.DepositedAsync(Net.FarLockerId);
        var queued = await Server.Operator().PostJsonAsync($"/api/lockers/{Net.FarLockerId}/compartments/1/remote-open", new { reason = "a command of the other locker" });
        var farCommand = (await queued.JsonAsync()).GetProperty("commandId").GetString()!;
        var c = here.Compartment;
        var otherCompartment = c == 1 ? 2 : 1;
        var now = Server.Clock.GetUtcNow();
        UnlockCause ForParcel(string parcel, UnlockKind kind = UnlockKind.Collection) => new(kind, null, parcel);
        UnlockCause ForCommand(string command) => new(UnlockKind.RemoteOpen, command);
        const string Compartment = SecurityEventKinds.ForeignCompartment, Parcel = SecurityEventKinds.ForeignParcel, Command = SecurityEventKinds.ForeignCommand;

        (string Kind, Payload Payload)[] foreign =
        [
            (Compartment, new Payload.DoorOpened(NoSuchCompartment, false, null)),
            (Parcel, new Payload.DoorOpened(c, true, ForParcel(there.ParcelId))),
            (Parcel, new Payload.DoorOpened(otherCompartment, true, ForParcel(here.ParcelId))),
            (Command, new Payload.DoorOpened(c, true, ForCommand(farCommand))),
            (Compartment, new Payload.DoorClosed(NoSuchCompartment, 1000)),
            (Compartment, new Payload.PulseSent(NoSuchCompartment, 1, 100, null)),
            (Parcel, new Payload.PulseSent(c, 1, 100, ForParcel(there.ParcelId, UnlockKind.Pickup))),
            (Compartment, new Payload.LatchReleased(NoSuchCompartment, null)),
            (Command, new Payload.LatchReleased(c, ForCommand("never-queued"))),
            (Compartment, new Payload.Jammed(NoSuchCompartment, 2, null)),
            (Parcel, new Payload.Jammed(c, 2, ForParcel(there.ParcelId, UnlockKind.Deposit))),
            (Compartment, new Payload.DoorLeftOpen(NoSuchCompartment, 60_000)),
            (Compartment, new Payload.ForcedOpen(NoSuchCompartment)),
            (Compartment, new Payload.CoilWatchdogTripped(NoSuchCompartment)),
            (Compartment, new Payload.UnlockOutcomeUnknown(NoSuchCompartment, ForCommand(farCommand), now)),
            (Parcel, new Payload.UnlockOutcomeUnknown(c, ForParcel(there.ParcelId, UnlockKind.Pickup), now)),
            (Parcel, new Payload.CodeAccepted(there.ParcelId, there.Compartment, now)),
            (Compartment, new Payload.CodeAccepted(here.ParcelId, NoSuchCompartment, now)),
            (Parcel, new Payload.CodeAccepted(here.ParcelId, otherCompartment, now)),
            (Parcel, new Payload.CodeAccepted("no-such-parcel", c, now)),
            (Command, new Payload.CommandResult(farCommand, CommandStatus.Executed, null)),
            (Command, new Payload.CommandResult("never-queued", CommandStatus.Executed, null)),
        ];

        // The class is enumerated: every kind of payload a board may send is either here or names nothing.
        var kinds = typeof(Payload).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(Payload))).ToHashSet();
        Assert.Equal(kinds.OrderBy(t => t.Name), foreign.Select(f => f.Payload.GetType()).Concat(NamesNothing).Distinct().OrderBy(t => t.Name));

        await using var board = await BoardAsync();
        var lockerBefore = await DoorsAndAlarmsAsync();
        var seq = 0L;
        foreach (var (_, payload) in foreign)
        {
            await board.SendEventAsync(board.Event(++seq, payload, now));
        }

        // Another device's event, sent on this device's session.
        await board.SendEventAsync(board.Event(++seq, new Payload.ForcedOpen(1), now) with { DeviceId = Net.FarLockerId });
        await board.WaitForAsync(m => m is CoreMessage.Ack a && a.UpToSeq == seq);
        await Server.SettleAsync();

        var expected = foreign.Select((f, i) => (f.Kind, (long?)(i + 1))).Append((SecurityEventKinds.ForeignDevice, seq));
        Assert.Equal(expected, await SecurityEventsAsync());
        Assert.Equal(seq, (await Server.QueryAsync("select count(*) from locker_device_events where locker_id = $1", r => r.GetInt64(0), Net.LockerId)).Single());
        Assert.Equal(lockerBefore, await DoorsAndAlarmsAsync());
        Assert.Empty(await DoorsAndAlarmsAsync(Net.FarLockerId));
        Assert.Equal("AwaitingCollection", (await Net.TrackAsync(here.TrackingId)).GetProperty("status").GetString());
        Assert.Equal("AwaitingCollection", (await Net.TrackAsync(there.TrackingId)).GetProperty("status").GetString());
        Assert.Equal([null], await Server.QueryAsync("select status from locker_commands where command_id = $1", r => r.IsDBNull(0) ? null : r.GetString(0), farCommand));

        // The link is not wedged: the board's own next event is applied.
        await board.SendEventAsync(board.Event(++seq, new Payload.ForcedOpen(c), now));
        await board.WaitForAsync(m => m is CoreMessage.Ack a && a.UpToSeq == seq);
        Assert.Single(await DoorsAndAlarmsAsync(), e => e is AlarmRaised { Kind: AlarmKind.ForcedOpen });
    }

    [Fact]
    public async Task EveryEventNamingOnlyItsOwnLockerCompartmentParcelAndCommandsIsBelieved()
    {
        var here = await Net.DepositedAsync();
        await using var board = await BoardAsync();
        var queued = await Server.Operator().PostJsonAsync($"/api/lockers/{Net.LockerId}/compartments/1/remote-open", new { reason = "a command of this locker" });
        var own = (await queued.JsonAsync()).GetProperty("commandId").GetString()!;
        var c = here.Compartment;
        var now = Server.Clock.GetUtcNow();
        Payload[] payloads =
        [
            new Payload.PulseSent(1, 1, 100, new UnlockCause(UnlockKind.RemoteOpen, own)),
            new Payload.LatchReleased(1, new UnlockCause(UnlockKind.RemoteOpen, own)),
            new Payload.DoorOpened(1, true, new UnlockCause(UnlockKind.RemoteOpen, own)),
            new Payload.DoorClosed(1, 3000),
            new Payload.CommandResult(own, CommandStatus.Executed, null),
            new Payload.Jammed(2, 2, null),
            new Payload.DoorLeftOpen(3, 60_000),
            new Payload.ForcedOpen(3),
            new Payload.CoilWatchdogTripped(2),
            new Payload.UnlockOutcomeUnknown(c, new UnlockCause(UnlockKind.Collection, null, here.ParcelId), now),
            new Payload.CodeRejected("wrong code", 0),
            new Payload.LabelScanned("LBL-123"),
            new Payload.UpdateInstalled("1.0.0", "1.1.0"),
            new Payload.UpdateRolledBack("1.1.0", "1.0.0", "did not reach the core"),
            new Payload.UpdateRefused("1.2.0", "bad signature"),
            new Payload.CodeAccepted(here.ParcelId, c, now),
        ];
        Assert.Equal(
            typeof(Payload).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(Payload))).Select(t => t.Name).Order(),
            payloads.Select(p => p.GetType().Name).Distinct().Order());

        for (var i = 0; i < payloads.Length; i++)
        {
            await board.SendEventAsync(board.Event(i + 1, payloads[i], now));
        }

        await board.WaitForAsync(m => m is CoreMessage.Ack a && a.UpToSeq == payloads.Length);
        await Server.SettleAsync();

        Assert.Empty(await SecurityEventsAsync());
        Assert.Equal("Collected", (await Net.TrackAsync(here.TrackingId)).GetProperty("status").GetString());
        Assert.Equal(["Executed"], await Server.QueryAsync("select status from locker_commands where command_id = $1", r => r.GetString(0), own));
        Assert.Contains(await DoorsAndAlarmsAsync(), e => e is AlarmRaised { Kind: AlarmKind.ForcedOpen, Compartment: 3 });
    }

    [Fact]
    public async Task ABoardClockAheadOrFarBehindIsReplacedByTheReceiptTimeAndFlaggedAndTheEventStillApplied()
    {
        var here = await Net.DepositedAsync();
        await using var board = await BoardAsync();
        var now = Server.Clock.GetUtcNow();

        await board.SendEventAsync(board.Event(1, new Payload.ForcedOpen(1), now.AddDays(-90)));
        await board.SendEventAsync(board.Event(2, new Payload.DoorLeftOpen(2, 60_000), now.AddDays(1)));
        await board.SendEventAsync(board.Event(3, new Payload.Jammed(3, 2, null), now.AddDays(-3)));
        await board.SendEventAsync(board.Event(4, new Payload.CoilWatchdogTripped(4), now.AddYears(-30), clockSynchronised: false));
        await board.SendEventAsync(board.Event(5, new Payload.CodeAccepted(here.ParcelId, here.Compartment, now.AddHours(5)), now));
        await board.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: 5 });
        await Server.SettleAsync();

        var alarms = (await DoorsAndAlarmsAsync()).OfType<AlarmRaised>().ToDictionary(a => a.Kind, a => a.At);
        Assert.Equal(now, alarms[AlarmKind.ForcedOpen]);
        Assert.Equal(now, alarms[AlarmKind.DoorLeftOpen]);
        Assert.Equal(now.AddDays(-3), alarms[AlarmKind.LockStuck]);
        var view = await Net.TrackAsync(here.TrackingId);
        Assert.Equal("Collected", view.GetProperty("status").GetString());
        var collected = view.GetProperty("steps").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "collected");
        Assert.Equal(now, collected.GetProperty("at").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(
            [(SecurityEventKinds.ClockBehind, 1), (SecurityEventKinds.ClockAhead, 2), (SecurityEventKinds.ClockAhead, (long?)5)],
            await SecurityEventsAsync());
        Assert.Equal(5, (await Server.QueryAsync("select count(*) from locker_device_events where locker_id = $1", r => r.GetInt64(0), Net.LockerId)).Single());
    }

    [Fact]
    public async Task SecurityEventsAreShownToTheOperatorOnly()
    {
        await using var board = await BoardAsync();
        await board.SendEventAsync(board.Event(1, new Payload.ForcedOpen(NoSuchCompartment), Server.Clock.GetUtcNow()));
        await board.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: 1 });

        var listed = await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync("/api/operations/security-events"));
        var only = Assert.Single(listed.EnumerateArray());
        Assert.Equal(Net.LockerId, only.GetProperty("lockerId").GetString());
        Assert.Equal(SecurityEventKinds.ForeignCompartment, only.GetProperty("kind").GetString());
        Assert.Equal(1, only.GetProperty("seq").GetInt64());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Net.Customer.GetAsync("/api/operations/security-events")).StatusCode);
        foreach (var other in new[] { Net.Shop, Net.Courier })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/operations/security-events")).StatusCode);
        }

        var page = await Server.Client().GetStringAsync("/operator.html");
        Assert.Contains("id=\"security\"", page, StringComparison.Ordinal);
        var script = await Server.Client().GetStringAsync("/js/operator.js");
        Assert.Contains("/api/operations/security-events", script, StringComparison.Ordinal);
    }

    // What the board's events changed on a locker's stream (not its going online or offline).
    private async Task<List<LockerEvent>> DoorsAndAlarmsAsync(string? locker = null) =>
        [.. (await Server.LockerEventsAsync(locker ?? Net.LockerId)).Where(e => e is DoorOpened or DoorClosed or AlarmRaised or AlarmCleared)];
}
