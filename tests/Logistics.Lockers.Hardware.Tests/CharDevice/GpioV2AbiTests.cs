using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Logistics.Lockers.Hardware.CharDevice;
using Logistics.Lockers.Hardware.Gpio;

namespace Logistics.Lockers.Hardware.Tests.CharDevice;

/// <summary>The v2 uAPI structs byte for byte, against the offsets of linux/gpio.h.</summary>
public sealed class GpioV2AbiTests
{
    [Fact]
    public void StructSizesMatchTheKernelHeader()
    {
        Assert.Equal(16, Unsafe.SizeOf<GpioV2LineAttribute>());
        Assert.Equal(24, Unsafe.SizeOf<GpioV2LineConfigAttribute>());
        Assert.Equal(272, Unsafe.SizeOf<GpioV2LineConfig>());
        Assert.Equal(592, Unsafe.SizeOf<GpioV2LineRequest>());
        Assert.Equal(16, Unsafe.SizeOf<GpioV2LineValues>());
        Assert.Equal(48, Unsafe.SizeOf<GpioV2LineEvent>());
    }

    [Fact]
    public void IoctlNumbersMatchTheKernelHeader()
    {
        Assert.Equal(0xC250B407u, GpioV2Abi.GetLineIoctl);
        Assert.Equal(0xC010B40Eu, GpioV2Abi.LineGetValuesIoctl);
        Assert.Equal(0xC010B40Fu, GpioV2Abi.LineSetValuesIoctl);
    }

    [Fact]
    public void OutputRequestCarriesItsInitialValueInTheSameIoctl()
    {
        var request = GpioV2Abi.OutputRequest(17, initialValue: false, "logistics-locker");
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<GpioV2LineRequest>(ref request));

        Assert.Equal(17u, U32(bytes, 0));
        Assert.Equal(0u, U32(bytes, 4));
        Assert.Equal("logistics-locker\0"u8.ToArray(), bytes.Slice(256, 17).ToArray());
        Assert.Equal(1ul << 3, U64(bytes, 288));
        Assert.Equal(1u, U32(bytes, 296));
        Assert.Equal(2u, U32(bytes, 320));
        Assert.Equal(0ul, U64(bytes, 328));
        Assert.Equal(1ul, U64(bytes, 336));
        Assert.Equal(1u, U32(bytes, 560));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(bytes[588..]));
    }

    [Fact]
    public void OutputRequestedOnSetsTheValueBit()
    {
        var request = GpioV2Abi.OutputRequest(4, initialValue: true, "x");
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<GpioV2LineRequest>(ref request));

        Assert.Equal(1ul, U64(bytes, 328));
    }

    [Fact]
    public void InputRequestAsksForBothEdgesAndTheBias()
    {
        var request = GpioV2Abi.InputRequest(22, LineFlags.BiasPullUp, "x");
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<GpioV2LineRequest>(ref request));

        Assert.Equal((1ul << 2) | (1ul << 4) | (1ul << 5) | (1ul << 8), U64(bytes, 288));
        Assert.Equal(0u, U32(bytes, 296));
        Assert.Equal(22u, U32(bytes, 0));
    }

    [Fact]
    public void LineEventDecodesFromKernelBytes()
    {
        var raw = new byte[48];
        BinaryPrimitives.WriteUInt64LittleEndian(raw, 123_456_789_012);
        BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(8), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(12), 5);
        BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(16), 9);

        var e = MemoryMarshal.Read<GpioV2LineEvent>(raw);

        Assert.Equal((5u, 9u), (e.Offset, e.Seqno));
        Assert.Equal(new PinEvent(5, PinEdge.Falling, 123_456_789_012), LinuxGpioDriver.Decode(5, e));
    }

    private static uint U32(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);

    private static ulong U64(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(bytes[offset..]);
}
