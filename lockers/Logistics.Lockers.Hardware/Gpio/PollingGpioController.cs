using System.Device.Gpio;

namespace Logistics.Lockers.Hardware.Gpio;

/// <summary>
/// A System.Device.Gpio controller whose edge callbacks come from reading the inputs every <c>interval</c>, for a
/// driver that cannot interrupt: an MCP23017 whose INTA/INTB are not wired to the board. All watched lines are read
/// in one call per poll (one I²C transaction for both ports of the expander). Edges carry the poll's time.
/// </summary>
public sealed class PollingGpioController : GpioController
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, (PinEventTypes Types, List<PinChangeEventHandler> Callbacks, PinValue Last)> _watched = [];
    private readonly ITimer _poll;

    public PollingGpioController(GpioDriver driver, TimeProvider time, TimeSpan interval)
        : base(driver)
    {
        _poll = time.CreateTimer(_ => Poll(), null, interval, interval);
    }

    public override void RegisterCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        if (!IsPinOpen(pinNumber))
        {
            throw new InvalidOperationException($"Can not add callback for pin {pinNumber} because it is not open.");
        }

        lock (_gate)
        {
            if (_watched.TryGetValue(pinNumber, out var watch))
            {
                watch.Callbacks.Add(callback);
                _watched[pinNumber] = watch with { Types = watch.Types | eventTypes };
            }
            else
            {
                _watched[pinNumber] = (eventTypes, [callback], Read(pinNumber));
            }
        }
    }

    public override void UnregisterCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            if (_watched.TryGetValue(pinNumber, out var watch))
            {
                watch.Callbacks.Remove(callback);
                if (watch.Callbacks.Count == 0)
                {
                    _watched.Remove(pinNumber);
                }
            }
        }
    }

    /// <summary>One poll: reads every watched line and calls back for each that changed.</summary>
    internal void Poll()
    {
        var changes = new List<(PinValueChangedEventArgs Edge, PinChangeEventHandler[] Callbacks)>();
        lock (_gate)
        {
            if (_watched.Count == 0)
            {
                return;
            }

            Span<PinValuePair> values = stackalloc PinValuePair[_watched.Count];
            var i = 0;
            foreach (var pin in _watched.Keys)
            {
                values[i++] = new PinValuePair(pin, PinValue.Low);
            }

            Read(values);
            foreach (var value in values)
            {
                var watch = _watched[value.PinNumber];
                if (value.PinValue == watch.Last)
                {
                    continue;
                }

                _watched[value.PinNumber] = watch with { Last = value.PinValue };
                var change = value.PinValue == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
                if ((watch.Types & change) != 0)
                {
                    changes.Add((new PinValueChangedEventArgs(change, value.PinNumber), [.. watch.Callbacks]));
                }
            }
        }

        foreach (var (edge, callbacks) in changes)
        {
            foreach (var callback in callbacks)
            {
                callback(this, edge);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        _poll.Dispose();
        lock (_gate)
        {
            _watched.Clear();
        }

        base.Dispose(disposing);
    }
}
