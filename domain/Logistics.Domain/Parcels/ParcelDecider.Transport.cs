using static Logistics.Domain.Parcels.Parcel;

namespace Logistics.Domain.Parcels;

// From the shop to the collection point (or the home), and back to the shop after expiry.
public static partial class ParcelDecider
{
    private static ParcelEvent[] Drop(DropAtLocker c, Parcel state) => state switch
    {
        Registered s => [new ParcelDroppedAtLocker(s.Details.Id, s.Details.Shop, c.Locker, c.Compartment, c.Now)],
        DroppedAtLocker s when s.Locker == c.Locker && s.Compartment == c.Compartment => [],
        DroppedAtLocker s => throw ParcelRefusal.Because(
            s,
            "parcel.dropped-elsewhere",
            $"it was already dropped in locker {s.Locker}, compartment {s.Compartment}, at {Moment.Format(s.Since)}."),
        _ => throw ParcelRefusal.WrongState(state, "be dropped at a locker"),
    };

    private static ParcelEvent[] PickUp(PickUp c, Parcel state) => state switch
    {
        Registered s => [new ParcelPickedUp(s.Details.Id, c.Courier, s.Details.Shop, null, null, false, c.Now)],
        DroppedAtLocker s => [new ParcelPickedUp(s.Details.Id, c.Courier, null, s.Locker, s.Compartment, false, c.Now)],
        Expired { Point: CollectionPoint.InLocker l } s => [new ParcelPickedUp(s.Details.Id, c.Courier, null, l.Locker, l.Compartment, true, c.Now)],
        Expired { Point: CollectionPoint.AtRelayShop r } s => [new ParcelPickedUp(s.Details.Id, c.Courier, r.Shop, null, null, true, c.Now)],
        PickedUp s when s.Courier == c.Courier => [],
        PickedUp s => throw HeldByOther(s, c.Courier),
        _ => throw ParcelRefusal.WrongState(state, "be picked up"),
    };

    private static ParcelEvent[] Deposit(Deposit c, Parcel state)
    {
        switch (state)
        {
            case AwaitingCollection { Point: CollectionPoint.InLocker l } when l.Locker == c.Locker && l.Compartment == c.Compartment:
                return [];
            case PickedUp { Returning: false } s:
                if (s.Details.Destination is not Destination.ToLocker to || to.Locker != c.Locker)
                {
                    throw ParcelRefusal.Because(
                        s,
                        "parcel.not-its-destination",
                        $"it is bound for {ParcelRefusal.Describe(s.Details.Destination)}; it cannot be deposited in locker {c.Locker} without a redirect.");
                }

                CheckDeadlines(s, c.PickupCodeHash, c.CodeExpiresAt, c.RemindAt, c.CollectBy, c.Now);
                return [new ParcelDeposited(s.Details.Id, s.Courier, c.Locker, c.Compartment, c.PickupCodeHash, c.CodeExpiresAt, c.RemindAt, c.CollectBy, c.Now, c.LockerCodeVerifier)];
            default:
                throw ParcelRefusal.WrongState(state, "be deposited");
        }
    }

    private static ParcelEvent[] DepositInHomeBox(DepositInHomeBox c, Parcel state)
    {
        switch (state)
        {
            case InHomeBox s when s.Box == c.Box && s.Compartment == c.Compartment:
                return [];
            case PickedUp { Returning: false } s:
                return s.Details.Destination is Destination.ToHomeBox to && to.Box == c.Box
                    ? [new ParcelDepositedInHomeBox(s.Details.Id, s.Courier, c.Box, c.Compartment, c.Now)]
                    : throw ParcelRefusal.Because(
                        s,
                        "parcel.not-its-destination",
                        $"it is bound for {ParcelRefusal.Describe(s.Details.Destination)}; it cannot be left in home box {c.Box}.");
            default:
                throw ParcelRefusal.WrongState(state, "be deposited in a home box");
        }
    }

    private static ParcelEvent[] DepositAtRelay(DepositAtRelay c, Parcel state)
    {
        switch (state)
        {
            case AwaitingCollection { Point: CollectionPoint.AtRelayShop r } when r.Shop == c.RelayShop:
                return [];
            case PickedUp { Returning: false } s:
                if (s.Details.Destination is not Destination.ToRelayShop to || to.Shop != c.RelayShop)
                {
                    throw ParcelRefusal.Because(
                        s,
                        "parcel.not-its-destination",
                        $"it is bound for {ParcelRefusal.Describe(s.Details.Destination)}; it cannot be left at relay shop {c.RelayShop}.");
                }

                CheckDeadlines(s, c.PickupCodeHash, c.CodeExpiresAt, c.RemindAt, c.CollectBy, c.Now);
                return [new ParcelDepositedAtRelay(s.Details.Id, s.Courier, c.RelayShop, c.PickupCodeHash, c.CodeExpiresAt, c.RemindAt, c.CollectBy, c.Now)];
            default:
                throw ParcelRefusal.WrongState(state, "be deposited at a relay shop");
        }
    }

    private static ParcelEvent[] DeliverHome(DeliverHome c, Parcel state)
    {
        switch (state)
        {
            case Delivered s when s.Courier == c.Courier:
                return [];
            case PickedUp { Returning: false } s:
                CheckHomeDelivery(s, c.Courier);
                return [new ParcelDelivered(s.Details.Id, c.Courier, c.Now) { Proof = c.Proof }];
            default:
                throw ParcelRefusal.WrongState(state, "be delivered at home");
        }
    }

    private static ParcelEvent[] FailHomeDelivery(FailHomeDelivery c, Parcel state)
    {
        switch (state)
        {
            // A retry after the redirect was recorded: the parcel is already bound for that locker.
            case PickedUp { Returning: false, Details.Destination: Destination.ToLocker to } s when to.Locker == c.RedirectTo && s.Courier == c.Courier:
                return [];
            case PickedUp { Returning: false } s:
                CheckHomeDelivery(s, c.Courier);
                var reason = string.IsNullOrWhiteSpace(c.Reason) ? "home delivery failed" : c.Reason;
                var person = s.Details.Recipient.Person;
                return
                [
                    new HomeDeliveryFailed(s.Details.Id, c.Courier, new PersonalText(person, reason), c.Now) { Proof = c.Proof },
                    new ParcelRedirected(s.Details.Id, c.RedirectTo, new PersonalText(person, $"Home delivery failed: {reason}"), c.Now),
                ];
            default:
                throw ParcelRefusal.WrongState(state, "fail a home delivery");
        }
    }

    private static ParcelEvent[] Redirect(Redirect c, Parcel state) => state switch
    {
        PickedUp { Returning: false, Details.Destination: Destination.ToLocker to } when to.Locker == c.To => [],
        PickedUp { Returning: false, Details.Destination: Destination.ToHome } s => throw ParcelRefusal.Because(
            s,
            "parcel.home-delivery",
            "it is bound for a home; a home delivery is redirected only after it failed (FailHomeDelivery)."),
        PickedUp { Returning: false, Details.Destination: Destination.ToHomeBox } s => throw ParcelRefusal.Because(
            s,
            "parcel.home-box",
            "it is bound for its recipient's own home box, which takes only their parcels; it is not sent elsewhere."),
        PickedUp { Returning: false } s => [new ParcelRedirected(s.Details.Id, c.To, new PersonalText(s.Details.Recipient.Person, c.Reason), c.Now)],
        _ => throw ParcelRefusal.WrongState(state, "be redirected"),
    };

    private static ParcelEvent[] ReturnToShop(ReturnToShop c, Parcel state) => state switch
    {
        PickedUp { Returning: true } s => [new ParcelReturned(s.Details.Id, s.Details.Shop, s.Courier, c.Now)],
        Returned => [],
        _ => throw ParcelRefusal.WrongState(state, "be returned to its shop"),
    };

    private static void CheckHomeDelivery(PickedUp s, CourierId courier)
    {
        if (s.Details.Destination is not Destination.ToHome)
        {
            throw ParcelRefusal.Because(
                s,
                "parcel.not-home-delivery",
                $"it is bound for {ParcelRefusal.Describe(s.Details.Destination)}, not for a home delivery.");
        }

        if (s.Courier != courier)
        {
            throw HeldByOther(s, courier);
        }
    }

    private static DomainRuleViolation HeldByOther(PickedUp s, CourierId courier) =>
        ParcelRefusal.Because(
            s,
            "parcel.held-by-other-courier",
            $"courier {s.Courier} has carried it since {Moment.Format(s.Since)}; courier {courier} does not hold it.");

    private static void CheckDeadlines(
        PickedUp s,
        string codeHash,
        DateTimeOffset codeExpiresAt,
        DateTimeOffset remindAt,
        DateTimeOffset collectBy,
        DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(codeHash))
        {
            throw ParcelRefusal.Because(s, "parcel.code-hash-missing", "a deposit needs the hash of a pickup code.");
        }

        if (collectBy <= now || codeExpiresAt <= now || remindAt > collectBy)
        {
            throw ParcelRefusal.Because(
                s,
                "parcel.invalid-deadlines",
                $"the deadlines must come after now ({Moment.Format(now)}) with the reminder before the deadline; got code expiry "
                + $"{Moment.Format(codeExpiresAt)}, reminder {Moment.Format(remindAt)}, deadline {Moment.Format(collectBy)}.");
        }
    }
}
