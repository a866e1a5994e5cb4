using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Lockers;

namespace Logistics.Application.Lockers;

/// <summary>
/// The one place that changes which parcel holds which compartment. The locker's stream decides (so two couriers are
/// never given the same compartment); every caller — a deposit, a drop, the planner, what follows a collection, the
/// repair — goes through here.
/// </summary>
public sealed class Compartments(EventStreams streams)
{
    /// <summary>
    /// Reserves a compartment that fits the parcel (the one it already holds, when it holds one): its number.
    /// Refused with the locker's reason (no free compartment of that size, not registered).
    /// </summary>
    public async Task<int> ReserveAsync(LockerId locker, ParcelId parcel, ParcelSize size, CommandContext context, CancellationToken cancellationToken)
    {
        var outcome = await streams.HandleAsync(
            Deciders.Locker, Deciders.Stream(locker), _ => new ReserveCompartment(parcel, size, false, Now), context, cancellationToken: cancellationToken);
        return outcome.State is Locker.Registered registered && registered.CompartmentOf(parcel) is { } compartment
            ? compartment.Number
            : throw new DomainRuleViolation("locker.not-registered", $"Locker {locker} reserved nothing for parcel {parcel}.");
    }

    /// <summary>The parcel lies in the compartment now (a repeat changes nothing).</summary>
    public Task OccupyAsync(LockerId locker, int number, ParcelId parcel, DateTimeOffset at, CommandContext context, CancellationToken cancellationToken) =>
        streams.HandleAsync(Deciders.Locker, Deciders.Stream(locker), _ => new OccupyCompartment(number, parcel, at), context, cancellationToken: cancellationToken);

    /// <summary>The compartment is empty again (nothing when it no longer holds the parcel).</summary>
    public Task FreeAsync(LockerId locker, int number, ParcelId parcel, DateTimeOffset at, CommandContext context, CancellationToken cancellationToken, string? reason = null) =>
        streams.HandleAsync(Deciders.Locker, Deciders.Stream(locker), _ => new ReleaseCompartment(number, parcel, at, reason), context, cancellationToken: cancellationToken);

    /// <summary>A collected parcel's compartment: free once its door has opened and closed since <paramref name="collectedAt"/>.</summary>
    public Task ReleaseAfterDoorCycleAsync(LockerId locker, int number, ParcelId parcel, DateTimeOffset collectedAt, CommandContext context, CancellationToken cancellationToken) =>
        streams.HandleAsync(Deciders.Locker, Deciders.Stream(locker), _ => new ReleaseAfterDoorCycle(number, parcel, collectedAt, Now), context, cancellationToken: cancellationToken);

    /// <summary>Gives a reservation back (nothing when the parcel holds none there); refused when the parcel already lies in it.</summary>
    public Task CancelReservationAsync(LockerId locker, ParcelId parcel, CommandContext context, CancellationToken cancellationToken, string? reason = null) =>
        streams.HandleAsync(Deciders.Locker, Deciders.Stream(locker), _ => new CancelReservation(parcel, Now, reason), context, cancellationToken: cancellationToken);

    public async Task<Locker> StateAsync(LockerId locker, CancellationToken cancellationToken) =>
        (await streams.LoadAsync(Deciders.Locker, Deciders.Stream(locker), cancellationToken)).State;

    private DateTimeOffset Now => streams.Clock.GetUtcNow();
}
