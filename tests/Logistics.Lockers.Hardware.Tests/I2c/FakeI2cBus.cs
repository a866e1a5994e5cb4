using Logistics.Lockers.Hardware.I2c;

namespace Logistics.Lockers.Hardware.Tests.I2c;

/// <summary>An MCP23017's register file behind a fake bus: sequential addressing, every write logged.</summary>
internal sealed class FakeMcp23017 : I2cDevice
{
    public byte[] Registers { get; } = new byte[0x16];

    public List<byte[]> Writes { get; } = [];

    /// <summary>What the pins read (GPIOA/GPIOB as seen from outside).</summary>
    public ushort PinLevels { get; set; }

    public override void Write(ReadOnlySpan<byte> data)
    {
        Writes.Add(data.ToArray());
        for (var i = 1; i < data.Length; i++)
        {
            Registers[data[0] + i - 1] = data[i];
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> write, Span<byte> read)
    {
        for (var i = 0; i < read.Length; i++)
        {
            var register = write[0] + i;
            read[i] = register switch
            {
                (byte)Mcp23017.Register.GPIOA => (byte)PinLevels,
                (byte)Mcp23017.Register.GPIOB => (byte)(PinLevels >> 8),
                _ => Registers[register],
            };
        }
    }

    public byte Register(Mcp23017.Register register) => Registers[(byte)register];
}
