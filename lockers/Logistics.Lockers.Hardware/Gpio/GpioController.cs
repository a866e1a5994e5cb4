namespace Logistics.Lockers.Hardware.Gpio;

/// <summary>
/// Lines of one driver, after dotnet/iot's <c>GpioController</c>. It remembers each output's safe value (the
/// one it was opened with) and writes it back when the line is closed or the controller disposed, so a clean
/// shutdown always leaves the coils off.
/// </summary>
public sealed class GpioController(GpioDriver driver, bool ownsDriver = true) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, (PinMode Mode, bool SafeValue)> _open = [];

    public GpioDriver Driver { get; } = driver;

    public void OpenPin(int pin, PinMode mode, bool initialValue = false)
    {
        lock (_gate)
        {
            if (_open.ContainsKey(pin))
            {
                throw new InvalidOperationException($"Pin {pin} is already open.");
            }

            Driver.OpenPin(pin, mode, initialValue);
            _open[pin] = (mode, initialValue);
        }
    }

    public bool IsPinOpen(int pin)
    {
        lock (_gate)
        {
            return _open.ContainsKey(pin);
        }
    }

    public void Write(int pin, bool value)
    {
        EnsureOpen(pin, output: true);
        Driver.Write(pin, value);
    }

    public bool Read(int pin)
    {
        EnsureOpen(pin, output: null);
        return Driver.Read(pin);
    }

    public void OnEdge(int pin, PinEdge edges, Action<PinEvent> callback)
    {
        EnsureOpen(pin, output: false);
        Driver.AddEdgeCallback(pin, edges, callback);
    }

    public Task<PinEvent> WaitForEdgeAsync(int pin, PinEdge edges, CancellationToken cancellationToken)
    {
        EnsureOpen(pin, output: false);
        return Driver.WaitForEdgeAsync(pin, edges, cancellationToken);
    }

    public void ClosePin(int pin)
    {
        lock (_gate)
        {
            if (_open.Remove(pin, out var line))
            {
                if (line.Mode == PinMode.Output)
                {
                    Driver.Write(pin, line.SafeValue);
                }

                Driver.ClosePin(pin);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var pin in _open.Keys.ToList())
            {
                ClosePin(pin);
            }
        }

        if (ownsDriver)
        {
            Driver.Dispose();
        }
    }

    private void EnsureOpen(int pin, bool? output)
    {
        lock (_gate)
        {
            if (!_open.TryGetValue(pin, out var line))
            {
                throw new InvalidOperationException($"Pin {pin} is not open.");
            }

            if (output is { } o && (line.Mode == PinMode.Output) != o)
            {
                throw new InvalidOperationException($"Pin {pin} is open as {line.Mode}.");
            }
        }
    }
}
