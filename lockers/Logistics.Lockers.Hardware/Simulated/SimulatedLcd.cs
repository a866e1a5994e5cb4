using System.Device.I2c;
using System.Text;

namespace Logistics.Lockers.Hardware.Simulated;

/// <summary>
/// An HD44780 character display behind a PCF8574 I²C backpack, at the bus: every byte written is the backpack's
/// port (P0 RS, P1 RW, P2 E, P3 backlight, P4–P7 D4–D7), and the display takes D4–D7 when E falls, as the real
/// controller does: 8-bit instructions until "function set 4-bit", then two nibbles a byte. It keeps its display
/// RAM, so what a binding wrote can be read back as text (the locker's page shows it).
/// </summary>
public sealed class SimulatedLcd : I2cDevice
{
    private static readonly int[] RowOffsets = [0x00, 0x40, 0x14, 0x54];
    private readonly Lock _gate = new();
    private readonly byte[] _ram = new byte[0x80];
    private byte _port = 0xFF;
    private bool _fourBit;
    private int? _highNibble;
    private int _address;
    private bool _toCharacterRam;

    public SimulatedLcd(int columns = 16, int rows = 2)
    {
        Columns = columns;
        RowCount = rows;
        Array.Fill(_ram, (byte)' ');
    }

    public int Columns { get; }

    public int RowCount { get; }

    public override I2cConnectionSettings ConnectionSettings { get; } = new(1, 0x27);

    public bool BacklightOn
    {
        get
        {
            lock (_gate)
            {
                return (_port & 0x08) != 0;
            }
        }
    }

    /// <summary>The text on each row, as the display shows it.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. Enumerable.Range(0, RowCount).Select(r => Encoding.ASCII.GetString(_ram, RowOffsets[r], Columns))];
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            foreach (var value in buffer)
            {
                var enableFell = (_port & 0x04) != 0 && (value & 0x04) == 0;
                _port = value;
                if (enableFell && (value & 0x02) == 0)
                {
                    Latch(value >> 4, registerSelect: (value & 0x01) != 0);
                }
            }
        }
    }

    /// <summary>The port reads back what it drives (the display is never asked for its busy flag here).</summary>
    public override void Read(Span<byte> buffer)
    {
        lock (_gate)
        {
            buffer.Fill((byte)(_port & 0x7F));
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private void Latch(int nibble, bool registerSelect)
    {
        if (!_fourBit)
        {
            // 8-bit interface: D0–D3 are not wired, so the instruction is the nibble's upper half; 0x2_ is "function set, 4-bit".
            if (!registerSelect && nibble == 0x2)
            {
                _fourBit = true;
                _highNibble = null;
            }

            return;
        }

        if (_highNibble is not { } high)
        {
            _highNibble = nibble;
            return;
        }

        _highNibble = null;
        var value = (byte)((high << 4) | nibble);
        if (registerSelect)
        {
            Data(value);
        }
        else
        {
            Instruction(value);
        }
    }

    private void Instruction(byte value)
    {
        if (value == 0x01)
        {
            Array.Fill(_ram, (byte)' ');
            (_address, _toCharacterRam) = (0, false);
        }
        else if ((value & 0xFE) == 0x02)
        {
            (_address, _toCharacterRam) = (0, false);
        }
        else if ((value & 0x80) != 0)
        {
            (_address, _toCharacterRam) = (value & 0x7F, false);
        }
        else if ((value & 0x40) != 0)
        {
            _toCharacterRam = true;
        }
    }

    private void Data(byte value)
    {
        if (_toCharacterRam)
        {
            return;
        }

        _ram[_address] = value;
        _address = (_address + 1) & 0x7F;
    }
}
