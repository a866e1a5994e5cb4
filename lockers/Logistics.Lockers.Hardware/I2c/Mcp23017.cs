using Logistics.Lockers.Hardware.Gpio;

namespace Logistics.Lockers.Hardware.I2c;

/// <summary>
/// The MCP23017 16-line I²C expander as a GPIO driver, for banks with more doors than the board has pins:
/// pins 0–7 are GPA0–7, 8–15 are GPB0–7. Outputs get their latch (OLAT) written before their direction
/// (IODIR), so they come up at their initial value. Inputs have pull-ups only. Edges are found by polling GPIOA/B
/// (both in one sequential read) every <c>pollInterval</c>; wiring INTA to a board line would only save polls.
/// </summary>
public sealed class Mcp23017 : GpioDriver
{
    private readonly I2cDevice _device;
    private readonly bool _ownsDevice;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly ITimer _poll;
    private ushort _iodir = 0xFFFF;
    private ushort _gppu;
    private ushort _olat;
    private ushort _inputs;
    private ushort _lastLevels;

    public Mcp23017(I2cDevice device, TimeProvider? time = null, TimeSpan? pollInterval = null, bool ownsDevice = true)
    {
        _device = device;
        _ownsDevice = ownsDevice;
        _time = time ?? TimeProvider.System;
        lock (_gate)
        {
            // BANK=0 (A/B registers interleaved), sequential addressing on; then the power-on state made explicit:
            // latches low first, every line an input without pull-up.
            WriteRegister(Register.IOCON, 0x00);
            WritePair(Register.OLATA, _olat);
            WritePair(Register.IODIRA, _iodir);
            WritePair(Register.GPPUA, _gppu);
        }

        var interval = pollInterval ?? TimeSpan.FromMilliseconds(10);
        _poll = _time.CreateTimer(_ => Poll(), null, interval, interval);
    }

    /// <summary>Register addresses with IOCON.BANK = 0.</summary>
    public enum Register : byte
    {
        IODIRA = 0x00,
        IODIRB = 0x01,
        IPOLA = 0x02,
        IPOLB = 0x03,
        GPINTENA = 0x04,
        GPINTENB = 0x05,
        DEFVALA = 0x06,
        DEFVALB = 0x07,
        INTCONA = 0x08,
        INTCONB = 0x09,
        IOCON = 0x0A,
        GPPUA = 0x0C,
        GPPUB = 0x0D,
        INTFA = 0x0E,
        INTFB = 0x0F,
        INTCAPA = 0x10,
        INTCAPB = 0x11,
        GPIOA = 0x12,
        GPIOB = 0x13,
        OLATA = 0x14,
        OLATB = 0x15,
    }

    public override int PinCount => 16;

    public override void OpenPin(int pin, PinMode mode, bool initialValue = false)
    {
        CheckPin(pin);
        var bit = (ushort)(1 << pin);
        lock (_gate)
        {
            switch (mode)
            {
                case PinMode.Output:
                    _olat = initialValue ? (ushort)(_olat | bit) : (ushort)(_olat & ~bit);
                    WritePort(Register.OLATA, pin, _olat);
                    _iodir &= (ushort)~bit;
                    WritePort(Register.IODIRA, pin, _iodir);
                    _inputs &= (ushort)~bit;
                    return;
                case PinMode.InputPullDown:
                    throw new NotSupportedException("The MCP23017 has pull-ups only: wire a pull-down resistor and open the pin as Input.");
                default:
                    _gppu = mode == PinMode.InputPullUp ? (ushort)(_gppu | bit) : (ushort)(_gppu & ~bit);
                    WritePort(Register.GPPUA, pin, _gppu);
                    _iodir |= bit;
                    WritePort(Register.IODIRA, pin, _iodir);
                    _lastLevels = (ushort)((_lastLevels & ~bit) | (ReadLevels() & bit));
                    _inputs |= bit;
                    return;
            }
        }
    }

    /// <summary>A closed line goes back to a plain input (high impedance), as at power-on.</summary>
    public override void ClosePin(int pin)
    {
        CheckPin(pin);
        var bit = (ushort)(1 << pin);
        lock (_gate)
        {
            _inputs &= (ushort)~bit;
            _iodir |= bit;
            WritePort(Register.IODIRA, pin, _iodir);
        }
    }

    public override void Write(int pin, bool value)
    {
        CheckPin(pin);
        var bit = (ushort)(1 << pin);
        lock (_gate)
        {
            _olat = value ? (ushort)(_olat | bit) : (ushort)(_olat & ~bit);
            WritePort(Register.OLATA, pin, _olat);
        }
    }

    public override bool Read(int pin)
    {
        CheckPin(pin);
        Span<byte> value = stackalloc byte[1];
        lock (_gate)
        {
            _device.WriteRead([(byte)((byte)Register.GPIOA + (pin >> 3))], value);
        }

        return (value[0] & (1 << (pin & 7))) != 0;
    }

    /// <summary>One poll: reads both ports and raises an edge for every input line that changed.</summary>
    internal void Poll()
    {
        ushort changed;
        ushort levels;
        lock (_gate)
        {
            if (_inputs == 0)
            {
                return;
            }

            levels = ReadLevels();
            changed = (ushort)((levels ^ _lastLevels) & _inputs);
            _lastLevels = levels;
        }

        var nanoseconds = (long)(_time.GetTimestamp() * (1_000_000_000.0 / _time.TimestampFrequency));
        for (var pin = 0; pin < 16; pin++)
        {
            if ((changed & (1 << pin)) != 0)
            {
                RaiseEdge(new PinEvent(pin, (levels & (1 << pin)) != 0 ? PinEdge.Rising : PinEdge.Falling, nanoseconds));
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        _poll.Dispose();
        if (_ownsDevice)
        {
            _device.Dispose();
        }

        base.Dispose(disposing);
    }

    private ushort ReadLevels()
    {
        Span<byte> ports = stackalloc byte[2];
        _device.WriteRead([(byte)Register.GPIOA], ports);
        return (ushort)(ports[0] | (ports[1] << 8));
    }

    private void WriteRegister(Register register, byte value) => _device.Write([(byte)register, value]);

    /// <summary>Writes the port (A or B) of <paramref name="pin"/> from a 16-bit image; B registers follow A.</summary>
    private void WritePort(Register portA, int pin, ushort image) =>
        WriteRegister((Register)((byte)portA + (pin >> 3)), (byte)(image >> (pin & 8)));

    private void WritePair(Register portA, ushort image) => _device.Write([(byte)portA, (byte)image, (byte)(image >> 8)]);
}
