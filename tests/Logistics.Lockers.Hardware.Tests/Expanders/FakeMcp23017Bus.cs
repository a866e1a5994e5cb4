using System.Device.I2c;

namespace Logistics.Lockers.Hardware.Tests.Expanders;

/// <summary>
/// The I²C bus with an MCP23017 on it (IOCON.BANK = 0, sequential addressing), as its datasheet describes: writing
/// GPIO writes the output latch, reading GPIO gives the latch for outputs and the outside level for inputs. Every
/// change of what a pin drives (high, low, or nothing while it is an input) is logged, to catch a glitch.
/// </summary>
internal sealed class FakeMcp23017Bus : I2cDevice
{
    private const byte IoDirA = 0x00;
    private const byte GpioA = 0x12;
    private const byte OLatA = 0x14;
    private readonly byte[] _registers = new byte[0x16];
    private byte _pointer;

    public FakeMcp23017Bus()
    {
        _registers[IoDirA] = 0xFF;
        _registers[IoDirA + 1] = 0xFF;
    }

    public override I2cConnectionSettings ConnectionSettings { get; } = new(1, 0x20);

    /// <summary>What the outside world puts on the input pins (GPA0 = bit 0 … GPB7 = bit 15).</summary>
    public ushort OutsideLevels { get; set; }

    /// <summary>Every change of a pin's driven level: true/false while an output, null while an input.</summary>
    public List<(int Pin, bool? Driven)> DriveLog { get; } = [];

    public bool? Driven(int pin) =>
        (Port(IoDirA, pin) & Bit(pin)) != 0 ? null : (Port(OLatA, pin) & Bit(pin)) != 0;

    public override void Read(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            var register = _pointer++;
            buffer[i] = register is GpioA or GpioA + 1 ? ReadPort(register - GpioA) : _registers[register];
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _pointer = buffer[0];
        foreach (var value in buffer[1..])
        {
            var before = Enumerable.Range(0, 16).Select(Driven).ToArray();
            var register = _pointer++;
            _registers[register is GpioA or GpioA + 1 ? register + 2 : register] = value;
            for (var pin = 0; pin < 16; pin++)
            {
                if (Driven(pin) != before[pin])
                {
                    DriveLog.Add((pin, Driven(pin)));
                }
            }
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private static int Bit(int pin) => 1 << (pin & 7);

    private byte Port(byte registerA, int pin) => _registers[registerA + (pin >> 3)];

    private byte ReadPort(int port)
    {
        var direction = _registers[IoDirA + port];
        var outside = (byte)(OutsideLevels >> (8 * port));
        return (byte)((direction & outside) | (~direction & _registers[OLatA + port]));
    }
}
