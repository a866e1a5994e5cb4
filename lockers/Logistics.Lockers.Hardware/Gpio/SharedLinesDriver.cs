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

    protected override void SetPinMode(int pinNumber, PinMode mode) => chip.SetPinMode(pinNumber, mode);

    protected override PinMode GetPinMode(int pinNumber) => chip.GetPinMode(pinNumber);

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => chip.IsPinModeSupported(pinNumber, mode);

    protected override PinValue Read(int pinNumber) => chip.Read(pinNumber);

    protected override void Write(int pinNumber, PinValue value) => chip.Write(pinNumber, value);

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
}
