using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.LockerLink;
using Payload = Logistics.LockerLink.DevicePayload;

namespace Logistics.Application.Lockers;

/// <summary>
/// Turns a board's event into domain commands. Event ids derive from (device, seq), so applying the same device
/// event twice (the core crashed after applying it but before acknowledging it) appends nothing twice.
/// </summary>
public sealed class DeviceEventHandler(EventStreams streams, LockerDevices devices, Parcels.CodeFailures failures, ILogger<DeviceEventHandler> logger)
{
    public async Task ApplyAsync(string deviceId, DeviceEvent e, CancellationToken cancellationToken)
    {
        var locker = new LockerId(deviceId);
        var context = new CommandContext(new Actor(Roles.Locker, deviceId), idempotencyKey: $"device:{deviceId}:{e.Seq}");
        var now = streams.Clock.GetUtcNow();
        // When the board's clock is synchronised, its wall clock says when the thing really happened (offline included).
        var at = e.ClockSynchronised ? e.WallClock : now;
        try
        {
            switch (e.Payload)
            {
                case Payload.DoorOpened d:
                    await Locker(locker, new ReportDoorOpened(d.Compartment, d.Authorised, at), context, cancellationToken);
                    if (d is { Authorised: true, Cause: { Kind: UnlockKind.Collection, ParcelId: { } collected } })
                    {
                        // A door opened for its recipient (a code checked online, or at the keypad): the parcel is collected.
                        await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(new ParcelId(collected)), _ => new Collect(streams.Clock.GetUtcNow(), at), context, cancellationToken: cancellationToken);
                    }

                    break;
                case Payload.DoorClosed d:
                    await Locker(locker, new ReportDoorClosed(d.Compartment, at), context, cancellationToken);
                    break;
                case Payload.Jammed j:
                    await Locker(locker, new RaiseAlarm(AlarmKind.LockStuck, j.Compartment, at), context, cancellationToken);
                    break;
                case Payload.DoorLeftOpen d:
                    await Locker(locker, new RaiseAlarm(AlarmKind.DoorLeftOpen, d.Compartment, at), context, cancellationToken);
                    break;
                case Payload.ForcedOpen f:
                    await Locker(locker, new RaiseAlarm(AlarmKind.ForcedOpen, f.Compartment, at), context, cancellationToken);
                    break;
                case Payload.CodeAccepted c:
                    await CollectedAtBoardAsync(locker, c, context, cancellationToken);
                    break;
                case Payload.CodeRejected:
                    await failures.RecordAtKeypadAsync(locker, at, cancellationToken);
                    break;
                case Payload.CommandResult r:
                    await devices.RecordResultAsync(deviceId, r.Status, r.CommandId, r.Detail, cancellationToken);
                    break;
                default:
                    // Pulses, latch feedback, watchdog trips and unknown outcomes are kept in locker_device_events.
                    break;
            }
        }
        catch (DomainRuleViolation refused)
        {
            // What happened at the locker happened: the domain may refuse to record it (e.g. a door of a compartment
            // that was taken out of service); keep the device event and tell the operator through the log.
            logger.LogWarning("Locker {Locker} event {Seq} ({Kind}) not applied: {Reason}", deviceId, e.Seq, e.Payload.GetType().Name, refused.Message);
        }
    }

    private async Task CollectedAtBoardAsync(LockerId locker, Payload.CodeAccepted c, CommandContext context, CancellationToken cancellationToken)
    {
        var parcel = new ParcelId(c.ParcelId);
        // The compartment is freed and the code revoked by what follows the collection (LockerFollowUp).
        await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new Collect(streams.Clock.GetUtcNow(), c.CollectedAt), context, cancellationToken: cancellationToken);
    }

    private Task Locker(LockerId locker, LockerCommand command, CommandContext context, CancellationToken cancellationToken) =>
        streams.HandleAsync(Deciders.Locker, Deciders.Stream(locker), _ => command, context, cancellationToken: cancellationToken);
}
