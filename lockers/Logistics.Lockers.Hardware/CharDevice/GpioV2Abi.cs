using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Logistics.Lockers.Hardware.CharDevice;

/// <summary>
/// The Linux GPIO character device v2 uAPI (linux/gpio.h, since 5.10). Every field is a fixed-width integer
/// aligned to its size and the event carries a u64 nanosecond timestamp (no time_t), so these layouts are
/// byte-identical on x86-64, arm64 and armhf; explicit offsets make that checkable.
/// </summary>
internal static class GpioV2Abi
{
    public const int LinesMax = 64;
    public const int MaxNameSize = 32;
    public const int NumAttrsMax = 10;

    // ioctl numbers: _IOWR(0xB4, nr, size) = (read|write = 3) << 30 | size << 16 | 0xB4 << 8 | nr.
    public static readonly uint GetLineIoctl = IoWR(0x07, (uint)Unsafe.SizeOf<GpioV2LineRequest>());
    public static readonly uint LineGetValuesIoctl = IoWR(0x0E, (uint)Unsafe.SizeOf<GpioV2LineValues>());
    public static readonly uint LineSetValuesIoctl = IoWR(0x0F, (uint)Unsafe.SizeOf<GpioV2LineValues>());

    public static uint IoWR(uint nr, uint size) => (3u << 30) | (size << 16) | (0xB4u << 8) | nr;

    /// <summary>A request for one line as an output that starts at <paramref name="initialValue"/> atomically.</summary>
    public static GpioV2LineRequest OutputRequest(uint offset, bool initialValue, string consumer)
    {
        var request = Request(offset, consumer, LineFlags.Output);
        request.Config.NumAttrs = 1;
        request.Config.Attrs[0] = new GpioV2LineConfigAttribute
        {
            Attr = new GpioV2LineAttribute { Id = (uint)AttrId.OutputValues, Value = initialValue ? 1ul : 0ul },
            Mask = 1,
        };
        return request;
    }

    /// <summary>A request for one line as an input with both edges reported and the given bias.</summary>
    public static GpioV2LineRequest InputRequest(uint offset, LineFlags bias, string consumer) =>
        Request(offset, consumer, LineFlags.Input | LineFlags.EdgeRising | LineFlags.EdgeFalling | bias);

    private static unsafe GpioV2LineRequest Request(uint offset, string consumer, LineFlags flags)
    {
        var request = default(GpioV2LineRequest);
        request.Offsets[0] = offset;
        request.NumLines = 1;
        request.Config.Flags = (ulong)flags;
        var name = Encoding.ASCII.GetBytes(consumer);
        for (var i = 0; i < Math.Min(name.Length, MaxNameSize - 1); i++)
        {
            request.Consumer[i] = name[i];
        }

        return request;
    }
}

[Flags]
internal enum LineFlags : ulong
{
    Used = 1 << 0,
    ActiveLow = 1 << 1,
    Input = 1 << 2,
    Output = 1 << 3,
    EdgeRising = 1 << 4,
    EdgeFalling = 1 << 5,
    OpenDrain = 1 << 6,
    OpenSource = 1 << 7,
    BiasPullUp = 1 << 8,
    BiasPullDown = 1 << 9,
    BiasDisabled = 1 << 10,
    EventClockRealtime = 1 << 11,
}

internal enum AttrId : uint
{
    Flags = 1,
    OutputValues = 2,
    Debounce = 3,
}

internal enum LineEventId : uint
{
    RisingEdge = 1,
    FallingEdge = 2,
}

/// <summary>struct gpio_v2_line_attribute: id, padding, then a union of u64 flags / u64 values / u32 debounce_period_us.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct GpioV2LineAttribute
{
    [FieldOffset(0)]
    public uint Id;

    [FieldOffset(8)]
    public ulong Value;
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct GpioV2LineConfigAttribute
{
    [FieldOffset(0)]
    public GpioV2LineAttribute Attr;

    [FieldOffset(16)]
    public ulong Mask;
}

[InlineArray(GpioV2Abi.NumAttrsMax)]
internal struct GpioV2LineConfigAttributes
{
    private GpioV2LineConfigAttribute _element;
}

[StructLayout(LayoutKind.Explicit, Size = 272)]
internal struct GpioV2LineConfig
{
    [FieldOffset(0)]
    public ulong Flags;

    [FieldOffset(8)]
    public uint NumAttrs;

    [FieldOffset(32)]
    public GpioV2LineConfigAttributes Attrs;
}

[StructLayout(LayoutKind.Explicit, Size = 592)]
internal unsafe struct GpioV2LineRequest
{
    [FieldOffset(0)]
    public fixed uint Offsets[GpioV2Abi.LinesMax];

    [FieldOffset(256)]
    public fixed byte Consumer[GpioV2Abi.MaxNameSize];

    [FieldOffset(288)]
    public GpioV2LineConfig Config;

    [FieldOffset(560)]
    public uint NumLines;

    [FieldOffset(564)]
    public uint EventBufferSize;

    [FieldOffset(588)]
    public int Fd;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct GpioV2LineValues
{
    [FieldOffset(0)]
    public ulong Bits;

    [FieldOffset(8)]
    public ulong Mask;
}

[StructLayout(LayoutKind.Explicit, Size = 48)]
internal struct GpioV2LineEvent
{
    [FieldOffset(0)]
    public ulong TimestampNs;

    [FieldOffset(8)]
    public uint Id;

    [FieldOffset(12)]
    public uint Offset;

    [FieldOffset(16)]
    public uint Seqno;

    [FieldOffset(20)]
    public uint LineSeqno;
}
