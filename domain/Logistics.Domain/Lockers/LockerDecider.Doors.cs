using static Logistics.Domain.Lockers.Locker;

namespace Logistics.Domain.Lockers;

// Doors and alarms: reports from the controller, which may repeat after a reconnect.
public static partial class LockerDecider
{
    private static LockerEvent[] DecideDoorOpened(ReportDoorOpened c, Registered s)
    {
        if (Get(s, c.Compartment).DoorOpen)
        {
            return [];
        }

        LockerEvent opened = new DoorOpened(s.Id, c.Compartment, c.Unlocked, c.Now);
        return c.Unlocked ? [opened] : [opened, .. Raise(s, AlarmKind.ForcedOpen, c.Compartment, c.Now)];
    }

    private static LockerEvent[] DecideDoorClosed(ReportDoorClosed c, Registered s)
    {
        var compartment = Get(s, c.Compartment);
        if (!compartment.DoorOpen)
        {
            return [];
        }

        LockerEvent[] closed = [new DoorClosed(s.Id, c.Compartment, c.Now), .. Clear(s, AlarmKind.DoorLeftOpen, c.Compartment, c.Now)];
        // A collected parcel is out once its door has opened and closed: the compartment is free again.
        return compartment.Status is CompartmentStatus.Emptying e
            ? [.. closed, new CompartmentFreed(s.Id, c.Compartment, e.Parcel, c.Now, "collected: the door opened and closed")]
            : closed;
    }

    private static LockerEvent[] DecideRaiseAlarm(RaiseAlarm c, Registered s)
    {
        if (c.Compartment is { } number)
        {
            Get(s, number);
        }

        return Raise(s, c.Kind, c.Compartment, c.Now);
    }

    private static LockerEvent[] DecideClearAlarm(ClearAlarm c, Registered s) => Clear(s, c.Kind, c.Compartment, c.Now);

    private static LockerEvent[] Raise(Registered s, AlarmKind kind, int? compartment, DateTimeOffset now) =>
        s.HasAlarm(kind, compartment) ? [] : [new AlarmRaised(s.Id, kind, compartment, now)];

    private static LockerEvent[] Clear(Registered s, AlarmKind kind, int? compartment, DateTimeOffset now) =>
        s.HasAlarm(kind, compartment) ? [new AlarmCleared(s.Id, kind, compartment, now)] : [];
}
