using Logistics.Application.Parcels;
using Logistics.Application.ProcessManagers;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Logistics.EventStore.Subscriptions;
using Logistics.LockerLink;

namespace Logistics.Application.Lockers;

/// <summary>
/// What follows a parcel's moves at a locker, taken from the global log: the compartment occupied or freed on the
/// locker's stream, the door opened by the board, the board's pickup codes kept in step. A request only reserves
/// (its answer needs the compartment's number) and records the parcel's event; a crash anywhere after that is
/// finished here when the process comes back, without the client.
/// </summary>
public sealed class LockerFollowUp(Compartments compartments, LockerDevices devices, EventStreams streams, FaultInjection faults, BoardCodes codes, SharedCodes shared) : IProcessManager
{
    public const string ProcessName = "lockers";

    /// <summary>A door opened for a person waits this long for the board (an offline board does not open it hours later).</summary>
    public static readonly TimeSpan DoorLifetime = TimeSpan.FromMinutes(10);

    /// <summary>A revoked code is told to the board for this long: longer than any code lives, so an offline board still learns it.</summary>
    public static readonly TimeSpan RevocationLifetime = TimeSpan.FromDays(30);

    public string Name => ProcessName;

    /// <summary>
    /// Parcels handled side by side, each parcel's events in order: its steps touch its own compartment and its own
    /// board commands, keyed by the parcel and the cause, so no parcel's follow-up waits on another's (two steps on one
    /// locker's stream at once are decided again on each other's write).
    /// </summary>
    public int Partitions => 4;

    private static readonly HashSet<Type> Followed =
    [
        typeof(ParcelDroppedAtLocker), typeof(ParcelDepositedInHomeBox), typeof(ParcelDeposited), typeof(PickupCodeReissued),
        typeof(ParcelPickedUp), typeof(ParcelCollected), typeof(ParcelCancelled), typeof(ParcelExpired),
        typeof(PickupCodeBlocked), typeof(CollectionDeadlineExtended),
    ];

    public bool Follows(Type eventClass) => Followed.Contains(eventClass);

    public async Task HandleAsync(EventEnvelope e, CancellationToken cancellationToken)
    {
        switch (e.Event)
        {
            case ParcelDroppedAtLocker d:
                await OccupyAndOpenAsync(e, d.Locker, d.Compartment, d.ParcelId, d.At, cancellationToken);
                break;

            case ParcelDepositedInHomeBox d:
                // A home box: the courier's door, and no code to provision (the box is its owner's to open).
                await OccupyAndOpenAsync(e, d.Box, d.Compartment, d.ParcelId, d.At, cancellationToken);
                break;

            case ParcelDeposited d:
                await OccupyAndOpenAsync(e, d.Locker, d.Compartment, d.ParcelId, d.At, cancellationToken);
                faults.At(FaultInjection.FollowUpAfterDoor);
                await ProvisionAsync(e, d.Locker, d.Compartment, d.ParcelId, d.LockerCodeVerifier, d.CodeExpiresAt, cancellationToken);
                break;

            case PickupCodeReissued r when r.LockerCodeVerifier is not null:
                if ((await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(r.ParcelId), cancellationToken)).State is Parcel.AwaitingCollection { Point: CollectionPoint.InLocker at })
                {
                    await ProvisionAsync(e, at.Locker, at.Compartment, r.ParcelId, r.LockerCodeVerifier, r.CodeExpiresAt, cancellationToken);
                }

                break;

            case ParcelPickedUp { FromLocker: { } locker, FromCompartment: { } number } p:
                // The board opens the door for the courier (queued until the board is back, if it is offline).
                await DoorAsync(e, locker, new CommandBody.OpenForPickup(number, p.ParcelId.Value), p.At + DoorLifetime, cancellationToken);
                faults.At(FaultInjection.FollowUpAfterDoor);
                await compartments.FreeAsync(locker, number, p.ParcelId, p.At, Step(e, "free"), cancellationToken);
                break;

            case ParcelCollected { Locker: { } locker, Compartment: { } number } c:
                // Free once the door has opened and closed after the collection: the parcel is out.
                await compartments.ReleaseAfterDoorCycleAsync(locker, number, c.ParcelId, c.At, Step(e, "free"), cancellationToken);
                faults.At(FaultInjection.FollowUpAfterFree);
                await RevokeAsync(e, locker, c.ParcelId, c.At, cancellationToken);
                await shared.ForgetAsync([c.ParcelId.Value], cancellationToken);
                break;

            case ParcelCancelled { Locker: { } locker, Compartment: { } number } c:
                await compartments.FreeAsync(locker, number, c.ParcelId, c.At, Step(e, "free"), cancellationToken);
                break;

            case ParcelExpired { Locker: { } locker } x:
                await RevokeAsync(e, locker, x.ParcelId, x.At, cancellationToken);
                await shared.ForgetAsync([x.ParcelId.Value], cancellationToken);
                break;

            case PickupCodeBlocked or CollectionDeadlineExtended:
                await codes.HandleAsync(e, cancellationToken);
                break;
        }
    }

    // The parcel is in: the compartment is occupied, then its door opens for whoever put it there.
    private async Task OccupyAndOpenAsync(EventEnvelope e, LockerId locker, int compartment, ParcelId parcel, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await compartments.OccupyAsync(locker, compartment, parcel, at, Step(e, "occupy"), cancellationToken);
        faults.At(FaultInjection.FollowUpAfterOccupy);
        await DoorAsync(e, locker, new CommandBody.OpenForDeposit(compartment, parcel.Value), at + DoorLifetime, cancellationToken);
    }

    private Task DoorAsync(EventEnvelope cause, LockerId locker, CommandBody body, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        devices.EnqueueAsync(locker, body, expiresAt, CommandId(cause, "door"), cancellationToken);

    // The board learns the code's verifier, so collection works offline too.
    private async Task ProvisionAsync(EventEnvelope cause, LockerId locker, int compartment, ParcelId parcel, string? verifier, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        if (verifier is null)
        {
            return;
        }

        var codes = new CommandBody.ProvisionCodes([new CodeVerifier(parcel.Value, compartment, Convert.FromBase64String(verifier), expiresAt)]);
        await devices.EnqueueAsync(locker, codes, expiresAt, CommandId(cause, "codes"), cancellationToken);
    }

    // Single use on the board too.
    private Task RevokeAsync(EventEnvelope cause, LockerId locker, ParcelId parcel, DateTimeOffset at, CancellationToken cancellationToken) =>
        codes.RevokeAsync(cause, locker, parcel, at, cancellationToken);

    private static CommandContext Step(EventEnvelope cause, string step) => CommandContext.FollowingFrom(cause.Recorded, ProcessName, step);

    private static string CommandId(EventEnvelope cause, string step) => $"{cause.Recorded.EventId:N}-{step}";
}
