namespace Logistics.Lockers.Doors;

public sealed partial class DoorController
{
    private void RequestRail(Door door)
    {
        CancelTimer(door);
        door.Phase = DoorPhase.WaitingForRail;
        if (_rails.Request(door.Config.Rail, door.Config.Compartment))
        {
            BeginPulse(door);
        }
    }

    private void BeginPulse(Door door)
    {
        door.Phase = DoorPhase.Pulsing;
        door.PulseStartedAt = Now;
        // Scheduled before the coil goes on: a board that reports the door at once re-enters this state machine.
        Schedule(door, _options.PulseLength, EndPulse);
        _coils.SetCoil(door.Config.Compartment, true);
    }

    private void EndPulse(Door door)
    {
        if (door.Phase != DoorPhase.Pulsing)
        {
            return;
        }

        _coils.SetCoil(door.Config.Compartment, false);
        Emit(new DoorFact.PulseSent(door.Config.Compartment, Now, door.UnlockId, door.Attempt, _time.GetElapsedTime(door.PulseStartedAt)));
        door.Phase = DoorPhase.AwaitingOpen;
        Schedule(door, _options.OpenTimeout, OpenTimedOut);
        if (_rails.Release(door.Config.Rail, door.Config.Compartment) is { } next)
        {
            BeginPulse(_doors[next]);
        }
    }

    private void OpenTimedOut(Door door)
    {
        if (door.Phase != DoorPhase.AwaitingOpen)
        {
            return;
        }

        if (door.Attempt < MaxAttempts)
        {
            door.Attempt++;
            RequestRail(door);
            return;
        }

        Emit(new DoorFact.Jammed(door.Config.Compartment, Now, door.UnlockId, door.Attempt));
        door.Phase = DoorPhase.Closed;
        door.UnlockId = null;
        CancelTimer(door);
    }

    private void DoorSettled(Door door, bool open)
    {
        if (!open)
        {
            if (door.Phase == DoorPhase.Open)
            {
                CancelTimer(door);
                door.Phase = DoorPhase.Closed;
                door.Attempt = 0;
                Emit(new DoorFact.DoorClosed(door.Config.Compartment, Now, _time.GetElapsedTime(door.OpenedAt)));
            }

            return;
        }

        switch (door.Phase)
        {
            case DoorPhase.Open:
                return;
            case DoorPhase.Closed:
                Emit(new DoorFact.DoorOpened(door.Config.Compartment, Now, null, Authorised: false));
                Emit(new DoorFact.ForcedOpen(door.Config.Compartment, Now));
                break;
            case DoorPhase.Pulsing:
                // The latch let go: no need to keep the coil hot for the rest of the pulse.
                EndPulse(door);
                Emit(new DoorFact.DoorOpened(door.Config.Compartment, Now, door.UnlockId, Authorised: true));
                break;
            case DoorPhase.WaitingForRail:
                _rails.Release(door.Config.Rail, door.Config.Compartment);
                Emit(new DoorFact.DoorOpened(door.Config.Compartment, Now, door.UnlockId, Authorised: true));
                break;
            case DoorPhase.AwaitingOpen:
                Emit(new DoorFact.DoorOpened(door.Config.Compartment, Now, door.UnlockId, Authorised: true));
                break;
        }

        BecomeOpen(door);
    }

    private void BecomeOpen(Door door)
    {
        door.Phase = DoorPhase.Open;
        door.UnlockId = null;
        door.OpenedAt = Now;
        door.LeftOpenRaised = false;
        Schedule(door, _options.LeftOpenAfter, LeftOpen);
    }

    private void LeftOpen(Door door)
    {
        if (door.Phase == DoorPhase.Open && !door.LeftOpenRaised)
        {
            door.LeftOpenRaised = true;
            Emit(new DoorFact.DoorLeftOpen(door.Config.Compartment, Now, _time.GetElapsedTime(door.OpenedAt)));
        }
    }

    private void LatchSettled(Door door, bool released)
    {
        if (released && !door.LatchReported && door.Phase is DoorPhase.Pulsing or DoorPhase.AwaitingOpen)
        {
            door.LatchReported = true;
            Emit(new DoorFact.LatchReleased(door.Config.Compartment, Now, door.UnlockId));
        }
    }

    private void OnWatchdogTripped(CompartmentId compartment)
    {
        lock (_gate)
        {
            if (!_disposed && _doors.TryGetValue(compartment, out var door) && door.Phase == DoorPhase.Pulsing)
            {
                Emit(new DoorFact.CoilWatchdogTripped(compartment, Now, door.UnlockId));
                EndPulse(door);
            }
        }
    }

    private void Schedule(Door door, TimeSpan due, Action<Door> step)
    {
        CancelTimer(door);
        var generation = ++door.TimerGeneration;
        door.Timer = _time.CreateTimer(
            _ =>
            {
                lock (_gate)
                {
                    if (door.TimerGeneration != generation || _disposed)
                    {
                        return;
                    }

                    CancelTimer(door);
                    step(door);
                }
            },
            null,
            due,
            Timeout.InfiniteTimeSpan);
    }

    private static void CancelTimer(Door door)
    {
        door.TimerGeneration++;
        door.Timer?.Dispose();
        door.Timer = null;
    }
}
