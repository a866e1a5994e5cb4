using System.Device.Gpio;

namespace Logistics.Lockers.Hardware.Gpio;

/// <summary>
/// Some lines of a chip's <see cref="GpioController"/>, as a <see cref="GpioDriver"/> of their own: a binding that owns
/// and disposes its controller (dotnet/iot's KeyMatrix) gets a controller over this driver, and disposing it releases
/// only the lines it opened, never the chip the door relays share. Works through the chip controller's public API.
/// </summary>
public sealed class SharedLinesDriver(GpioController chip) : GpioDriver
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _opened = [];

    protected override int PinCount => chip.PinCount;

    protected override void OpenPin(int pinNumber)
    {
        lock (_gate)
        {
            chip.OpenPin(pinNumber);
            _opened.Add(pinNumber);
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            if (_opened.Remove(pinNumber) && chip.IsPinOpen(pinNumber))
            {
                chip.ClosePin(pinNumber);
            }
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate)
        {
            chip.SetPinMode(Owned(pinNumber), mode);
        }
    }

    protected override PinMode GetPinMode(int pinNumber) => chip.GetPinMode(pinNumber);

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => chip.IsPinModeSupported(pinNumber, mode);

    protected override PinValue Read(int pinNumber)
    {
        lock (_gate)
        {
            return chip.Read(Owned(pinNumber));
        }
    }

    /// <remarks>
    /// Under the same lock as <see cref="ClosePin"/>: the chip's controller records a write's value after checking
    /// that the line is open, so a write racing the line's closing would leave the line marked open on the chip
    /// with no pin behind it, and the next binding to open it would fail.
    /// </remarks>
    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            chip.Write(Owned(pinNumber), value);
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        chip.WaitForEvent(pinNumber, eventTypes, cancellationToken);

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        chip.RegisterCallbackForPinValueChangedEvent(pinNumber, eventTypes, callback);

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        chip.UnregisterCallbackForPinValueChangedEvent(pinNumber, callback);

    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            foreach (var pin in _opened.Where(chip.IsPinOpen))
            {
                chip.ClosePin(pin);
            }

            _opened.Clear();
        }

        base.Dispose(disposing);
    }

    /// <summary>The line, if this driver still holds it (call under the lock).</summary>
    private int Owned(int pinNumber) =>
        _opened.Contains(pinNumber) ? pinNumber : throw new InvalidOperationException($"Line {pinNumber} is not held by this driver.");
}
