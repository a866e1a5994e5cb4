using Logistics.Lockers.Hardware.CharDevice;

namespace Logistics.Lockers.Hardware.I2c;

/// <summary>
/// A device on <c>/dev/i2c-N</c>: the address is bound once with the I2C_SLAVE ioctl, then plain write()/read().
/// A register read is two transfers (address, then data) rather than a repeated start; the MCP23017 keeps its
/// address pointer between them, and one process owns the bus.
/// </summary>
public sealed unsafe class LinuxI2cDevice : I2cDevice
{
    internal const uint I2cSlave = 0x0703;

    private readonly int _fd;

    public LinuxI2cDevice(int bus, int address)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)address, 0x7Fu, nameof(address));
        var path = $"/dev/i2c-{bus}";
        _fd = Libc.Open(path, Libc.ORdWr | Libc.OCloExec);
        if (_fd < 0)
        {
            throw Libc.Error($"open {path}");
        }

        if (Libc.Ioctl(_fd, I2cSlave, (nint)address) < 0)
        {
            Libc.Close(_fd);
            throw Libc.Error($"I2C_SLAVE 0x{address:X2} on {path}");
        }
    }

    public override void Write(ReadOnlySpan<byte> data)
    {
        fixed (byte* pointer = data)
        {
            if (Libc.Write(_fd, pointer, (nuint)data.Length) != data.Length)
            {
                throw Libc.Error("i2c write");
            }
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> write, Span<byte> read)
    {
        Write(write);
        fixed (byte* pointer = read)
        {
            if (Libc.Read(_fd, pointer, (nuint)read.Length) != read.Length)
            {
                throw Libc.Error("i2c read");
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        Libc.Close(_fd);
        base.Dispose(disposing);
    }
}
