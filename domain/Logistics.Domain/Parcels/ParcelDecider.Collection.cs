using static Logistics.Domain.Parcels.Parcel;

namespace Logistics.Domain.Parcels;

// Between the deposit and the end of the wait: collection, codes, reminder, extension, expiry.
public static partial class ParcelDecider
{
    private static ParcelEvent[] Collect(Collect c, Parcel state)
    {
        switch (state)
        {
            case Collected:
                return [];
            case InHomeBox s:
                // The resident's own box: no code to check and no deadline; it is out when they opened the box.
                var taken = c.CollectedAt ?? c.Now;
                return taken > c.Now
                    ? throw ParcelRefusal.Because(s, "parcel.collected-in-future", $"a collection reported at {Moment.Format(c.Now)} cannot have happened later, at {Moment.Format(taken)}.")
                    : [new ParcelCollected(s.Details.Id, s.Box, s.Compartment, null, taken < s.Since ? s.Since : taken)];
            case AwaitingCollection s:
                var at = c.CollectedAt ?? c.Now;
                if (at > c.Now)
                {
                    throw ParcelRefusal.Because(
                        s,
                        "parcel.collected-in-future",
                        $"a collection reported at {Moment.Format(c.Now)} cannot have happened later, at {Moment.Format(at)}.");
                }

                if (s.Code.Blocked)
                {
                    throw ParcelRefusal.Because(
                        s,
                        "parcel.code-blocked",
                        $"its pickup code was blocked after {s.Code.WrongAttempts} wrong attempts; an operator must issue a new one.");
                }

                if (at >= s.Code.ExpiresAt)
                {
                    throw ParcelRefusal.Because(s, "parcel.code-expired", $"its pickup code expired at {Moment.Format(s.Code.ExpiresAt)}.");
                }

                if (at >= s.CollectBy)
                {
                    throw ParcelRefusal.Because(
                        s,
                        "parcel.collection-deadline-passed",
                        $"it had to be collected by {Moment.Format(s.CollectBy)} and is due for return to its shop.");
                }

                return s.Point switch
                {
                    CollectionPoint.InLocker l => [new ParcelCollected(s.Details.Id, l.Locker, l.Compartment, null, at)],
                    CollectionPoint.AtRelayShop r => [new ParcelCollected(s.Details.Id, null, null, r.Shop, at)],
                    _ => throw new InvalidOperationException("Unknown collection point."),
                };
            default:
                throw ParcelRefusal.WrongState(state, "be collected");
        }
    }

    private static ParcelEvent[] RecordWrongCode(RecordWrongCode c, Parcel state)
    {
        if (state is not AwaitingCollection s)
        {
            throw ParcelRefusal.WrongState(state, "take pickup code attempts");
        }

        if (s.Code.Blocked)
        {
            throw ParcelRefusal.Because(
                s,
                "parcel.code-blocked",
                $"its pickup code is already blocked after {s.Code.WrongAttempts} wrong attempts.");
        }

        var attempt = s.Code.WrongAttempts + 1;
        return attempt >= MaxWrongAttempts
            ? [new WrongCodeEntered(s.Details.Id, attempt, c.Now), new PickupCodeBlocked(s.Details.Id, attempt, c.Now)]
            : [new WrongCodeEntered(s.Details.Id, attempt, c.Now)];
    }

    private static ParcelEvent[] ReissueCode(ReissueCode c, Parcel state)
    {
        if (state is not AwaitingCollection s)
        {
            throw ParcelRefusal.WrongState(state, "get a new pickup code");
        }

        if (s.Code.Hash == c.PickupCodeHash && s.Code.ExpiresAt == c.CodeExpiresAt)
        {
            return [];
        }

        if (string.IsNullOrWhiteSpace(c.PickupCodeHash))
        {
            throw ParcelRefusal.Because(s, "parcel.code-hash-missing", "a new pickup code needs its hash.");
        }

        if (c.CodeExpiresAt <= c.Now)
        {
            throw ParcelRefusal.Because(
                s,
                "parcel.invalid-deadlines",
                $"a new pickup code must expire after now ({Moment.Format(c.Now)}), not at {Moment.Format(c.CodeExpiresAt)}.");
        }

        return [new PickupCodeReissued(s.Details.Id, c.PickupCodeHash, c.CodeExpiresAt, c.Now, c.LockerCodeVerifier)];
    }

    private static ParcelEvent[] SendReminder(SendReminder c, Parcel state) => state switch
    {
        AwaitingCollection { Reminded: true } => [],
        AwaitingCollection s when c.Now < s.RemindAt => throw ParcelRefusal.Because(
            s,
            "parcel.reminder-not-due",
            $"its reminder is due at {Moment.Format(s.RemindAt)}, not before."),
        AwaitingCollection s => [new ReminderSent(s.Details.Id, s.CollectBy, c.Now)],
        _ => throw ParcelRefusal.WrongState(state, "be reminded"),
    };

    private static ParcelEvent[] ExtendDeadline(ExtendDeadline c, Parcel state)
    {
        if (state is not AwaitingCollection s)
        {
            throw ParcelRefusal.WrongState(state, "have its deadline extended");
        }

        if (s.DeadlineExtended)
        {
            return s.CollectBy == c.NewCollectBy
                ? []
                : throw ParcelRefusal.Because(
                    s,
                    "parcel.deadline-already-extended",
                    $"its deadline was already extended once, to {Moment.Format(s.CollectBy)}.");
        }

        if (c.Now >= s.CollectBy)
        {
            throw ParcelRefusal.Because(
                s,
                "parcel.deadline-passed",
                $"its deadline, {Moment.Format(s.CollectBy)}, has passed; it can no longer be extended.");
        }

        if (c.NewCollectBy <= s.CollectBy)
        {
            throw ParcelRefusal.Because(
                s,
                "parcel.extension-not-later",
                $"the new deadline {Moment.Format(c.NewCollectBy)} is not after the current one, {Moment.Format(s.CollectBy)}.");
        }

        if (c.NewCollectBy - s.CollectBy > MaxExtension)
        {
            throw ParcelRefusal.Because(
                s,
                "parcel.extension-too-long",
                $"the deadline may move by at most {MaxExtension.TotalDays:0} days, to {Moment.Format(s.CollectBy + MaxExtension)}.");
        }

        return [new CollectionDeadlineExtended(s.Details.Id, s.CollectBy, c.NewCollectBy, c.Now)];
    }

    private static ParcelEvent[] Expire(Expire c, Parcel state) => state switch
    {
        Expired => [],
        AwaitingCollection s when c.Now < s.CollectBy => throw ParcelRefusal.Because(
            s,
            "parcel.not-due",
            $"it may be collected until {Moment.Format(s.CollectBy)}; it cannot expire before."),
        AwaitingCollection { Point: CollectionPoint.InLocker l } s => [new ParcelExpired(s.Details.Id, l.Locker, l.Compartment, null, c.Now)],
        AwaitingCollection { Point: CollectionPoint.AtRelayShop r } s => [new ParcelExpired(s.Details.Id, null, null, r.Shop, c.Now)],
        _ => throw ParcelRefusal.WrongState(state, "expire"),
    };
}
