using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Runtime.InteropServices;

namespace Logistics.Lockers.Hardware.Gpio;

/// <summary>The board's own GPIO chips through dotnet/iot's libgpiod drivers.</summary>
public static class LibGpiod
{
    /// <summary>
    /// The v2 driver where libgpiod 2.x (<c>libgpiod.so.3</c>) is installed, as on Raspberry Pi OS based on Debian 13;
    /// the v1 driver otherwise (Debian 12's libgpiod 1.6, <c>libgpiod.so.2</c>).
    /// </summary>
    public static GpioDriver Open(int chip)
    {
        if (NativeLibrary.TryLoad("libgpiod.so.3", out var v2))
        {
            NativeLibrary.Free(v2);
            return new LibGpiodV2Driver(chip);
        }

        return new LibGpiodDriver(chip);
    }
}
