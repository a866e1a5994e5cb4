namespace Logistics.Lockers.Doors;

/// <summary>
/// Wraps the coil outputs so that no coil stays energised past <c>maxOnTime</c>. It keeps its own timers and
/// its own lock, apart from the door controller's, so a stalled controller path still gets its coil cut.
/// </summary>
public sealed class CoilWatchdog : ICoilOutput, IDisposable
{
    private readonly ICoilOutput _inner;
    private readonly TimeSpan _maxOnTime;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<CompartmentId, ITimer> _armed = [];

    public CoilWatchdog(ICoilOutput inner, TimeSpan maxOnTime, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxOnTime, TimeSpan.Zero);
        _inner = inner;
        _maxOnTime = maxOnTime;
        _time = time;
    }

    /// <summary>Raised after the watchdog has cut a coil (the coil is already off).</summary>
    public event Action<CompartmentId>? Tripped;

    public void SetCoil(CompartmentId compartment, bool energised)
    {
        lock (_gate)
        {
            if (_armed.Remove(compartment, out var old))
            {
                old.Dispose();
            }

            if (energised)
            {
                // Armed before the coil goes on, so there is no instant where it is on and unguarded.
                _armed[compartment] = _time.CreateTimer(Trip, compartment, _maxOnTime, Timeout.InfiniteTimeSpan);
            }
        }

        _inner.SetCoil(compartment, energised);
    }

    private void Trip(object? state)
    {
        var compartment = (CompartmentId)state!;
        lock (_gate)
        {
            if (!_armed.Remove(compartment, out var timer))
            {
                return;
            }

            timer.Dispose();
        }

        _inner.SetCoil(compartment, false);
        Tripped?.Invoke(compartment);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var (compartment, timer) in _armed)
            {
                timer.Dispose();
                _inner.SetCoil(compartment, false);
            }

            _armed.Clear();
        }
    }
}
