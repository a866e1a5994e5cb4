using static Logistics.Domain.Couriers.Courier;

namespace Logistics.Domain.Couriers;

public static class CourierDecider
{
    public static CourierEvent[] Decide(CourierCommand command, Courier state) => (command, state) switch
    {
        (_, Deactivated s) => throw new DomainRuleViolation(
            "courier.deactivated",
            $"Courier {s.Details.Id} ({s.Details.Name}) was deactivated at {Moment.Format(s.At)} ({s.Reason}); it accepts no more changes."),
        (RegisterCourier c, NotRegistered) => Register(c),
        (RegisterCourier c, OffShift or OnShift) => DetailsOf(state) is { } d && d.Id == c.CourierId && d.Name == c.Name && d.Vehicle == c.Vehicle
            && d.CapacityUnits == c.CapacityUnits
                ? []
                : throw new DomainRuleViolation("courier.already-registered", $"Courier {c.CourierId} is already registered."),
        (_, NotRegistered) => throw new DomainRuleViolation("courier.not-registered", "This courier is not registered."),
        (StartShift c, OffShift s) => [new ShiftStarted(s.Details.Id, c.Location, c.Now)],
        (StartShift, OnShift) => [],
        (EndShift c, OnShift s) => [new ShiftEnded(s.Details.Id, c.Now)],
        (EndShift, OffShift) => [],
        (DeactivateCourier c, OnShift s) => [new ShiftEnded(s.Details.Id, c.Now), new CourierDeactivated(s.Details.Id, c.Reason, c.Now)],
        (DeactivateCourier c, OffShift s) => [new CourierDeactivated(s.Details.Id, c.Reason, c.Now)],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown courier command."),
    };

    private static CourierEvent[] Register(RegisterCourier c)
    {
        if (string.IsNullOrWhiteSpace(c.CourierId.Value))
        {
            throw new DomainRuleViolation("courier.id-missing", "A courier needs an id.");
        }

        if (string.IsNullOrWhiteSpace(c.Name))
        {
            throw new DomainRuleViolation("courier.name-missing", $"Courier {c.CourierId} needs a name.");
        }

        return c.CapacityUnits <= 0
            ? throw new DomainRuleViolation(
                "courier.capacity-invalid",
                $"Courier {c.CourierId} needs a capacity of at least 1 unit (an S parcel); got {c.CapacityUnits}.")
            : [new CourierRegistered(c.CourierId, c.Name, c.Vehicle, c.CapacityUnits, c.Now)];
    }
}
