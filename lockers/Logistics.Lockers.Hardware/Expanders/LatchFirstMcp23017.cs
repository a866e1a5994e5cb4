using System.Device.Gpio;
using System.Device.I2c;
using Iot.Device.Mcp23xxx;

namespace Logistics.Lockers.Hardware.Expanders;

/// <summary>
/// dotnet/iot's MCP23017 with one change for relays: an output gets its latch before its direction. The binding's
/// default makes the line an output first and writes the value after, so an active-low relay would click on for one
/// I²C transaction at every start. Here the value goes to the output latch while the line is still an input (the chip
/// keeps it), then the line becomes an output already at that value. Only the binding's own calls are used.
/// </summary>
public sealed class LatchFirstMcp23017(I2cDevice device) : Mcp23017(device)
{
    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        if (mode == PinMode.Output)
        {
            Write(pinNumber, initialValue);
        }

        SetPinMode(pinNumber, mode);
    }
}
