using static Logistics.Domain.Lockers.Locker;

namespace Logistics.Domain.Lockers;

/// <summary>
/// Decides what a command on a locker produces. Refusals throw <see cref="DomainRuleViolation"/>; repeats of a
/// command already applied (a door reported open twice, the same reservation asked again) return no events.
/// </summary>
public static partial class LockerDecider
{
    public static LockerEvent[] Decide(LockerCommand command, Locker state) => (command, state) switch
    {
        (RegisterLocker c, _) => Register(c, state),
        (_, NotRegistered) => throw new DomainRuleViolation(
            "locker.not-registered",
            $"This locker is not registered; it cannot {Action(command)}."),
        (ReserveCompartment c, Registered s) => Reserve(c, s),
        (OccupyCompartment c, Registered s) => Occupy(c, s),
        (ReleaseCompartment c, Registered s) => Release(c, s),
        (ReleaseAfterDoorCycle c, Registered s) => ReleaseAfterDoors(c, s),
        (CancelReservation c, Registered s) => DecideCancelReservation(c, s),
        (TakeOutOfService c, Registered s) => DecideTakeOutOfService(c, s),
        (ReturnToService c, Registered s) => DecideReturnToService(c, s),
        (ReportDoorOpened c, Registered s) => DecideDoorOpened(c, s),
        (ReportDoorClosed c, Registered s) => DecideDoorClosed(c, s),
        (RaiseAlarm c, Registered s) => DecideRaiseAlarm(c, s),
        (ClearAlarm c, Registered s) => DecideClearAlarm(c, s),
        (ReportOnline c, Registered s) => s.Online ? [] : [new LockerWentOnline(s.Id, c.Now), .. Clear(s, AlarmKind.ControllerOffline, null, c.Now)],
        (ReportOffline c, Registered s) => s.Online ? [new LockerWentOffline(s.Id, c.Now), .. Raise(s, AlarmKind.ControllerOffline, null, c.Now)] : [],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown locker command."),
    };

    private static LockerEvent[] Register(RegisterLocker c, Locker state)
    {
        if (state is Registered s)
        {
            return s.Id == c.LockerId && s.Name == c.Name && s.Location == c.Location && s.Address == c.Address
                && s.Compartments.Values.Select(x => new CompartmentSpec(x.Number, x.Size, x.LowHeight)).SequenceEqual(c.Compartments.OrderBy(x => x.Number))
                ? []
                : throw new DomainRuleViolation("locker.already-registered", $"Locker {s.Id} ({s.Name}) is already registered.");
        }

        if (string.IsNullOrWhiteSpace(c.LockerId.Value))
        {
            throw new DomainRuleViolation("locker.id-missing", "A locker needs an id.");
        }

        if (string.IsNullOrWhiteSpace(c.Name))
        {
            throw new DomainRuleViolation("locker.name-missing", $"Locker {c.LockerId} needs a name.");
        }

        if (c.Compartments.Count == 0)
        {
            throw new DomainRuleViolation("locker.no-compartments", $"Locker {c.LockerId} needs at least one compartment.");
        }

        if (c.Compartments.FirstOrDefault(x => x.Number <= 0) is { } bad)
        {
            throw new DomainRuleViolation(
                "locker.invalid-compartment-number",
                $"Locker {c.LockerId}: compartment numbers start at 1; got {bad.Number}.");
        }

        if (c.Compartments.GroupBy(x => x.Number).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new DomainRuleViolation(
                "locker.duplicate-compartment",
                $"Locker {c.LockerId}: compartment {twice.Key} is listed {twice.Count()} times.");
        }

        return [new LockerRegistered(c.LockerId, c.Name, c.Location, c.Address, [.. c.Compartments.OrderBy(x => x.Number)], c.Now)];
    }

    private static LockerEvent[] Reserve(ReserveCompartment c, Registered s)
    {
        if (s.CompartmentOf(c.Parcel) is { } held)
        {
            return held.Size.Fits(c.Size)
                ? []
                : throw new DomainRuleViolation(
                    "locker.parcel-elsewhere",
                    $"Locker {s.Id}: parcel {c.Parcel} already holds compartment {held.Number} (size {held.Size}), too small for size {c.Size}.");
        }

        var best = s.BestFreeFor(c.Size, c.PreferLowHeight)
            ?? throw new DomainRuleViolation(
                "locker.no-free-compartment",
                $"Locker {s.Id} ({s.Name}) has no free compartment of size {c.Size} or larger.");
        return [new CompartmentReserved(s.Id, best.Number, c.Parcel, c.Size, c.Now)];
    }

    private static LockerEvent[] Occupy(OccupyCompartment c, Registered s)
    {
        var target = Get(s, c.Compartment);
        switch (target.Status)
        {
            case CompartmentStatus.Occupied o when o.Parcel == c.Parcel:
                return [];
            case CompartmentStatus.OutOfService o:
                throw OutOfService(s, target, o);
            case CompartmentStatus.Occupied or CompartmentStatus.Reserved or CompartmentStatus.Emptying when target.Parcel != c.Parcel:
                throw Taken(s, target);
        }

        // The parcel went into another compartment than the one reserved (e.g. during an offline deposit): the
        // door that closed on it is the truth, so the old reservation is given back.
        var elsewhere = s.CompartmentOf(c.Parcel);
        if (elsewhere is { Status: CompartmentStatus.Occupied })
        {
            throw new DomainRuleViolation(
                "locker.parcel-elsewhere",
                $"Locker {s.Id}: parcel {c.Parcel} already lies in compartment {elsewhere.Number}; it cannot also occupy {c.Compartment}.");
        }

        return elsewhere is not null && elsewhere.Number != c.Compartment
            ? [new ReservationCancelled(s.Id, elsewhere.Number, c.Parcel, c.Now), new CompartmentOccupied(s.Id, c.Compartment, c.Parcel, c.Now)]
            : [new CompartmentOccupied(s.Id, c.Compartment, c.Parcel, c.Now)];
    }

    private static LockerEvent[] Release(ReleaseCompartment c, Registered s)
    {
        var target = Get(s, c.Compartment);
        return target.Parcel switch
        {
            null => [],
            var p when p == c.Parcel => [new CompartmentFreed(s.Id, c.Compartment, c.Parcel, c.Now, c.Reason)],
            _ => throw new DomainRuleViolation(
                "locker.compartment-holds-other-parcel",
                $"Locker {s.Id}: compartment {c.Compartment} is {Describe(target.Status)}, not for parcel {c.Parcel}; it cannot be freed for it."),
        };
    }

    private static LockerEvent[] ReleaseAfterDoors(ReleaseAfterDoorCycle c, Registered s)
    {
        var target = Get(s, c.Compartment);
        return target.Status switch
        {
            CompartmentStatus.Occupied o when o.Parcel == c.Parcel && !target.DoorOpen && target.LastClosedAt >= c.CollectedAt =>
                [new CompartmentFreed(s.Id, c.Compartment, c.Parcel, c.Now, "collected: the door opened and closed")],
            CompartmentStatus.Occupied o when o.Parcel == c.Parcel => [new CompartmentEmptying(s.Id, c.Compartment, c.Parcel, c.Now)],
            CompartmentStatus.Emptying e when e.Parcel == c.Parcel => [],
            _ when target.Parcel is null => [],

            // The parcel is in none of the locker's compartments: this step was taken before (the follow-up handles a
            // batch again when another parcel's step in it failed), the door cycle freed the compartment, and it was
            // given to another parcel since. Nothing is left to do.
            _ when s.CompartmentOf(c.Parcel) is null => [],
            _ => throw new DomainRuleViolation(
                "locker.compartment-holds-other-parcel",
                $"Locker {s.Id}: compartment {c.Compartment} is {Describe(target.Status)}, not parcel {c.Parcel}'s."),
        };
    }

    private static LockerEvent[] DecideCancelReservation(CancelReservation c, Registered s) => s.CompartmentOf(c.Parcel) switch
    {
        null => [],
        { Status: CompartmentStatus.Reserved } held => [new ReservationCancelled(s.Id, held.Number, c.Parcel, c.Now, c.Reason)],
        var held => throw new DomainRuleViolation(
            "locker.compartment-occupied",
            $"Locker {s.Id}: parcel {c.Parcel} already lies in compartment {held.Number}; its reservation cannot be cancelled, free the compartment instead."),
    };

    private static LockerEvent[] DecideTakeOutOfService(TakeOutOfService c, Registered s)
    {
        var target = Get(s, c.Compartment);
        return target.Status switch
        {
            CompartmentStatus.OutOfService => [],
            CompartmentStatus.Free => [new CompartmentTakenOutOfService(s.Id, c.Compartment, c.Reason, c.Now)],
            _ => throw new DomainRuleViolation(
                "locker.compartment-in-use",
                $"Locker {s.Id}: compartment {c.Compartment} is {Describe(target.Status)}; move the parcel before taking it out of service."),
        };
    }

    private static LockerEvent[] DecideReturnToService(ReturnToService c, Registered s) =>
        Get(s, c.Compartment).Status is CompartmentStatus.OutOfService
            ? [new CompartmentReturnedToService(s.Id, c.Compartment, c.Now)]
            : [];

    /// <summary>Finds a compartment or refuses the command with the numbers the locker has.</summary>
    private static Compartment Get(Registered s, int number) =>
        s.Compartments.TryGetValue(number, out var c)
            ? c
            : throw new DomainRuleViolation(
                "locker.unknown-compartment",
                $"Locker {s.Id} has no compartment {number} (it has {s.Compartments.Count}, numbered {s.Compartments.Keys.First()} to {s.Compartments.Keys.Last()}).");

    private static DomainRuleViolation Taken(Registered s, Compartment c) =>
        new("locker.compartment-taken", $"Locker {s.Id}: compartment {c.Number} is {Describe(c.Status)}.");

    private static DomainRuleViolation OutOfService(Registered s, Compartment c, CompartmentStatus.OutOfService o) =>
        new("locker.compartment-out-of-service", $"Locker {s.Id}: compartment {c.Number} is out of service ({o.Reason}).");

    private static string Describe(CompartmentStatus status) => status switch
    {
        CompartmentStatus.Free => "free",
        CompartmentStatus.Reserved r => $"reserved for parcel {r.Parcel}",
        CompartmentStatus.Occupied o => $"occupied by parcel {o.Parcel}",
        CompartmentStatus.Emptying e => $"being emptied of parcel {e.Parcel}",
        CompartmentStatus.OutOfService o => $"out of service ({o.Reason})",
        _ => "in an unknown state",
    };

    private static string Action(LockerCommand command) => command switch
    {
        ReserveCompartment => "reserve a compartment",
        OccupyCompartment => "take a parcel",
        ReleaseCompartment or ReleaseAfterDoorCycle => "free a compartment",
        CancelReservation => "cancel a reservation",
        TakeOutOfService => "take a compartment out of service",
        ReturnToService => "return a compartment to service",
        ReportDoorOpened or ReportDoorClosed => "report doors",
        RaiseAlarm or ClearAlarm => "have alarms",
        _ => "report its link",
    };
}
