using static Logistics.Domain.Parcels.Parcel;

namespace Logistics.Domain.Parcels;

/// <summary>
/// Decides what a command on a parcel produces. Refusals throw <see cref="DomainRuleViolation"/>; a repeat of a
/// command already applied returns no events, so retries are safe.
/// </summary>
public static partial class ParcelDecider
{
    /// <summary>Consecutive wrong codes after which the pickup code is blocked until an operator reissues it.</summary>
    public const int MaxWrongAttempts = 5;

    /// <summary>How much more time a recipient may ask for, once.</summary>
    public static readonly TimeSpan MaxExtension = TimeSpan.FromDays(3);

    public static ParcelEvent[] Decide(ParcelCommand command, Parcel state) => command switch
    {
        RegisterParcel c => Register(c, state),
        Cancel c => Cancel(c, state),
        DropAtLocker c => Drop(c, state),
        PickUp c => PickUp(c, state),
        Deposit c => Deposit(c, state),
        DepositAtRelay c => DepositAtRelay(c, state),
        DepositInHomeBox c => DepositInHomeBox(c, state),
        DeliverHome c => DeliverHome(c, state),
        FailHomeDelivery c => FailHomeDelivery(c, state),
        Redirect c => Redirect(c, state),
        ReturnToShop c => ReturnToShop(c, state),
        Collect c => Collect(c, state),
        RecordWrongCode c => RecordWrongCode(c, state),
        ReissueCode c => ReissueCode(c, state),
        SendReminder c => SendReminder(c, state),
        ExtendDeadline c => ExtendDeadline(c, state),
        Expire c => Expire(c, state),
        EraseRecipient c => state is Known known
            ? [new RecipientErased(known.Details.Id, known.Details.Recipient.Person, c.Now)]
            : throw ParcelRefusal.WrongState(state, "have its recipient erased"),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown parcel command."),
    };

    private static ParcelEvent[] Register(RegisterParcel c, Parcel state)
    {
        if (state is Known known)
        {
            var d = known.Details;
            var same = d.Id == c.ParcelId && d.TrackingId == c.TrackingId && d.Shop == c.Shop && d.Recipient == c.Recipient
                && d.Size == c.Size;
            return same
                ? []
                : throw ParcelRefusal.Because(known, "parcel.already-registered", $"a parcel is already registered under id {d.Id}.");
        }

        if (string.IsNullOrWhiteSpace(c.ParcelId.Value))
        {
            throw ParcelRefusal.Because("parcel.id-missing", "A parcel needs an id.");
        }

        if (string.IsNullOrWhiteSpace(c.TrackingId))
        {
            throw ParcelRefusal.Because("parcel.tracking-id-missing", $"Parcel {c.ParcelId} needs a tracking id.");
        }

        if (string.IsNullOrWhiteSpace(c.Recipient.Name))
        {
            throw ParcelRefusal.Because("parcel.recipient-name-missing", $"Parcel {c.TrackingId} needs the recipient's name.");
        }

        if (c.Destination is Destination.ToHome home)
        {
            if (c.Recipient.Address is null)
            {
                throw ParcelRefusal.Because(
                    "parcel.home-without-address",
                    $"Parcel {c.TrackingId} is for a home delivery but the recipient has no home address.");
            }

            if (home.Window.To <= c.Now)
            {
                throw ParcelRefusal.Because(
                    "parcel.delivery-window-passed",
                    $"Parcel {c.TrackingId}: the delivery window ended at {Moment.Format(home.Window.To)}, before now ({Moment.Format(c.Now)}).");
            }
        }

        return [new ParcelRegistered(c.ParcelId, c.TrackingId, c.Shop, c.Recipient, c.Size, c.Destination, c.Now) { Reference = c.Reference }];
    }

    private static ParcelEvent[] Cancel(Cancel c, Parcel state)
    {
        if (state is Known known && known.Details.Shop != c.By)
        {
            throw ParcelRefusal.Because(
                known,
                "parcel.not-owner",
                $"only shop {known.Details.Shop}, which registered it, may cancel it; shop {c.By} may not.");
        }

        return state switch
        {
            Registered s => [new ParcelCancelled(s.Details.Id, c.By, new PersonalText(s.Details.Recipient.Person, c.Reason), null, null, c.Now)],
            DroppedAtLocker s => [new ParcelCancelled(s.Details.Id, c.By, new PersonalText(s.Details.Recipient.Person, c.Reason), s.Locker, s.Compartment, c.Now)],
            Cancelled => [],
            _ => throw ParcelRefusal.WrongState(state, "be cancelled"),
        };
    }
}
