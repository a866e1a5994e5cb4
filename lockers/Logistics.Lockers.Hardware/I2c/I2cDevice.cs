namespace Logistics.Lockers.Hardware.I2c;

/// <summary>One device at one address on an I²C bus (after dotnet/iot's <c>I2cDevice</c>).</summary>
public abstract class I2cDevice : IDisposable
{
    public abstract void Write(ReadOnlySpan<byte> data);

    /// <summary>Writes then reads (e.g. a register address, then its value).</summary>
    public abstract void WriteRead(ReadOnlySpan<byte> write, Span<byte> read);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
