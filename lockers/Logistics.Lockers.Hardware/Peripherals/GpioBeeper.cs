using System.Device.Gpio;

namespace Logistics.Lockers.Hardware.Peripherals;

public enum Feedback
{
    /// <summary>One short beep: accepted, door opening.</summary>
    Accepted,
    /// <summary>Three short beeps: refused.</summary>
    Refused,
    /// <summary>A click for each key.</summary>
    Key,
}

/// <summary>
/// An active buzzer or an LED on one GPIO line, switched on and off on a <see cref="TimeProvider"/> to say
/// "accepted" or "refused" to the person at the keypad. A new pattern replaces the one playing.
/// </summary>
public sealed class GpioBeeper : IDisposable
{
    private readonly GpioController _controller;
    private readonly int _pin;
    private readonly PinValue _on;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private readonly Queue<(bool On, TimeSpan For)> _steps = new();

    public GpioBeeper(GpioController controller, int pin, bool activeHigh, TimeProvider time)
    {
        _controller = controller;
        _pin = pin;
        _on = activeHigh ? PinValue.High : PinValue.Low;
        _controller.OpenPin(pin, PinMode.Output, Off);
        _timer = time.CreateTimer(_ => Step(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The last pattern started, for the locker's page.</summary>
    public Feedback? Last { get; private set; }

    private PinValue Off => _on == PinValue.High ? PinValue.Low : PinValue.High;

    public void Play(Feedback feedback)
    {
        var beep = TimeSpan.FromMilliseconds(feedback == Feedback.Key ? 20 : 120);
        var gap = TimeSpan.FromMilliseconds(100);
        lock (_gate)
        {
            Last = feedback;
            _steps.Clear();
            var beeps = feedback == Feedback.Refused ? 3 : 1;
            for (var i = 0; i < beeps; i++)
            {
                _steps.Enqueue((true, beep));
                _steps.Enqueue((false, gap));
            }

            Step();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer.Dispose();
            _steps.Clear();
            _controller.Write(_pin, Off);
            _controller.ClosePin(_pin);
        }
    }

    private void Step()
    {
        lock (_gate)
        {
            if (!_steps.TryDequeue(out var step))
            {
                return;
            }

            _controller.Write(_pin, step.On ? _on : Off);
            _timer.Change(step.For, Timeout.InfiniteTimeSpan);
        }
    }
}
