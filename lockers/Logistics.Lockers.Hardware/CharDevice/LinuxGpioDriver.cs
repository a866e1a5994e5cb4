using Logistics.Lockers.Hardware.Gpio;

namespace Logistics.Lockers.Hardware.CharDevice;

/// <summary>
/// Lines of one GPIO chip through the character device's v2 ioctls (no libgpiod needed): one line request per
/// pin; outputs are requested with their initial value in the same ioctl, so they are never briefly on; inputs
/// report both edges, read by a background thread that polls the line descriptors and reads
/// <c>struct gpio_v2_line_event</c> (kernel CLOCK_MONOTONIC nanosecond timestamps).
/// </summary>
public sealed unsafe class LinuxGpioDriver : GpioDriver
{
    private const string Consumer = "logistics-locker";

    private readonly int _chip;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, (int Fd, PinMode Mode)> _lines = [];
    private readonly Thread _events;
    private volatile bool _stopping;

    public LinuxGpioDriver(string chipPath = "/dev/gpiochip0", int pinCount = 64)
    {
        _chip = Libc.Open(chipPath, Libc.ORdWr | Libc.OCloExec);
        if (_chip < 0)
        {
            throw Libc.Error($"open {chipPath}");
        }

        PinCount = pinCount;
        _events = new Thread(EventLoop) { IsBackground = true, Name = "gpio-events" };
        _events.Start();
    }

    public override int PinCount { get; }

    public override void OpenPin(int pin, PinMode mode, bool initialValue = false)
    {
        CheckPin(pin);
        var request = mode switch
        {
            PinMode.Output => GpioV2Abi.OutputRequest((uint)pin, initialValue, Consumer),
            PinMode.InputPullUp => GpioV2Abi.InputRequest((uint)pin, LineFlags.BiasPullUp, Consumer),
            PinMode.InputPullDown => GpioV2Abi.InputRequest((uint)pin, LineFlags.BiasPullDown, Consumer),
            _ => GpioV2Abi.InputRequest((uint)pin, LineFlags.BiasDisabled, Consumer),
        };
        if (Libc.Ioctl(_chip, GpioV2Abi.GetLineIoctl, &request) < 0)
        {
            throw Libc.Error($"GPIO_V2_GET_LINE_IOCTL for line {pin}");
        }

        lock (_gate)
        {
            _lines[pin] = (request.Fd, mode);
        }
    }

    public override void ClosePin(int pin)
    {
        lock (_gate)
        {
            if (_lines.Remove(pin, out var line))
            {
                Libc.Close(line.Fd);
            }
        }
    }

    public override void Write(int pin, bool value)
    {
        var values = new GpioV2LineValues { Bits = value ? 1ul : 0ul, Mask = 1 };
        if (Libc.Ioctl(Fd(pin), GpioV2Abi.LineSetValuesIoctl, &values) < 0)
        {
            throw Libc.Error($"GPIO_V2_LINE_SET_VALUES_IOCTL for line {pin}");
        }
    }

    public override bool Read(int pin)
    {
        var values = new GpioV2LineValues { Mask = 1 };
        if (Libc.Ioctl(Fd(pin), GpioV2Abi.LineGetValuesIoctl, &values) < 0)
        {
            throw Libc.Error($"GPIO_V2_LINE_GET_VALUES_IOCTL for line {pin}");
        }

        return (values.Bits & 1) != 0;
    }

    protected override void Dispose(bool disposing)
    {
        _stopping = true;
        _events.Join(TimeSpan.FromSeconds(1));
        lock (_gate)
        {
            foreach (var (fd, _) in _lines.Values)
            {
                Libc.Close(fd);
            }

            _lines.Clear();
        }

        Libc.Close(_chip);
        base.Dispose(disposing);
    }

    private int Fd(int pin)
    {
        lock (_gate)
        {
            return _lines.TryGetValue(pin, out var line) ? line.Fd : throw new InvalidOperationException($"Line {pin} is not open.");
        }
    }

    private void EventLoop()
    {
        while (!_stopping)
        {
            (int Pin, int Fd)[] inputs;
            lock (_gate)
            {
                inputs = [.. _lines.Where(l => l.Value.Mode != PinMode.Output).Select(l => (l.Key, l.Value.Fd))];
            }

            if (inputs.Length == 0)
            {
                Thread.Sleep(50);
                continue;
            }

            var fds = new Libc.PollFd[inputs.Length];
            for (var i = 0; i < inputs.Length; i++)
            {
                fds[i] = new Libc.PollFd { Fd = inputs[i].Fd, Events = Libc.PollIn };
            }

            // A short timeout so lines opened meanwhile join the next poll and disposal is noticed.
            int ready;
            fixed (Libc.PollFd* pointer = fds)
            {
                ready = Libc.Poll(pointer, (nuint)fds.Length, 100);
            }

            if (ready <= 0)
            {
                continue;
            }

            for (var i = 0; i < inputs.Length; i++)
            {
                if ((fds[i].Revents & Libc.PollIn) != 0)
                {
                    ReadEvents(inputs[i].Pin, inputs[i].Fd);
                }
            }
        }
    }

    private void ReadEvents(int pin, int fd)
    {
        var buffer = stackalloc GpioV2LineEvent[16];
        var read = Libc.Read(fd, buffer, (nuint)(16 * sizeof(GpioV2LineEvent)));
        for (var i = 0; i < read / sizeof(GpioV2LineEvent); i++)
        {
            RaiseEdge(Decode(pin, buffer[i]));
        }
    }

    internal static PinEvent Decode(int pin, GpioV2LineEvent e) =>
        new(pin, e.Id == (uint)LineEventId.RisingEdge ? PinEdge.Rising : PinEdge.Falling, (long)e.TimestampNs);
}
