using Logistics.Application.Notifications;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Logistics.Domain.Shops;

namespace Logistics.Application.Parcels;

public sealed partial class ParcelActions
{
    /// <summary>
    /// A courier puts a parcel in its recipient's home box: the box's one compartment is reserved, the parcel recorded
    /// in it and its owner told, in the same transaction, that it is there. No pickup code: the box is theirs; the door
    /// opens for the courier through what follows the deposit (<see cref="Lockers.LockerFollowUp"/>), as at a locker.
    /// The box must still be the recipient's (a box released since the parcel was registered refuses it).
    /// </summary>
    private async Task<CompartmentAnswer> DepositInHomeBoxAsync(Parcel.Known state, CourierId courier, LockerId box, LockerId? choice, CommandContext context, CancellationToken cancellationToken)
    {
        var parcel = state.Details.Id;
        if (state is Parcel.InHomeBox placed)
        {
            return new CompartmentAnswer(parcel.Value, placed.Box.Value, placed.Compartment);
        }

        if (choice is { } other && other != box)
        {
            throw Refusal.Conflict("parcel.home-box", $"Parcel {state.Details.TrackingId} goes to its recipient's home box only, not to {other}.");
        }

        if (state is Parcel.PickedUp && await homeBoxes.AcceptsAsync(box, state.Details.Recipient.Phone, cancellationToken) is not true)
        {
            throw Refusal.Conflict("homebox.not-recipients", $"Home box {box} no longer belongs to the recipient of parcel {state.Details.TrackingId}; bring the parcel back to its shop.");
        }

        var compartment = await compartments.ReserveAsync(box, parcel, state.Details.Size, context, cancellationToken);
        var shop = (await streams.LoadAsync(Deciders.Shop, Deciders.Stream(state.Details.Shop), cancellationToken)).State;
        var shopName = Shop.DetailsOf(shop)?.Name ?? state.Details.Shop.Value;
        try
        {
            await streams.HandleAsync(
                Deciders.Parcel,
                Deciders.Stream(parcel),
                _ => new DepositInHomeBox(box, compartment, Now),
                context,
                (connection, transaction, events) => events.OfType<ParcelDepositedInHomeBox>().Any()
                    ? outbox.EnqueueAsync(connection, transaction, "home-box", state.Details.Recipient, parcel.Value,
                        "Your parcel is in your box / Votre colis est dans votre boîte", Messages.InHomeBox(state.Details.TrackingId, shopName), cancellationToken)
                    : Task.CompletedTask,
                cancellationToken);
        }
        catch (DomainRuleViolation)
        {
            await compartments.CancelReservationAsync(box, parcel, context, cancellationToken, "the deposit was refused");
            throw;
        }

        return new CompartmentAnswer(parcel.Value, box.Value, compartment);
    }
}
