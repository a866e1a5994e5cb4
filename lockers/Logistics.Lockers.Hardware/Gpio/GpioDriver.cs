namespace Logistics.Lockers.Hardware.Gpio;

/// <summary>
/// The few line operations a locker needs, after dotnet/iot's <c>GpioDriver</c>: open a line as output (with
/// the value it starts at, so an output is never briefly on) or input (with bias), write, read, close, and edge
/// events with timestamps. Drivers report edges through <see cref="RaiseEdge"/>; callbacks may come from the
/// driver's own thread.
/// </summary>
public abstract class GpioDriver : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, List<(PinEdge Edges, Action<PinEvent> Callback)>> _callbacks = [];

    public abstract int PinCount { get; }

    public abstract void OpenPin(int pin, PinMode mode, bool initialValue = false);

    public abstract void ClosePin(int pin);

    public abstract void Write(int pin, bool value);

    public abstract bool Read(int pin);

    public void AddEdgeCallback(int pin, PinEdge edges, Action<PinEvent> callback)
    {
        lock (_gate)
        {
            if (!_callbacks.TryGetValue(pin, out var list))
            {
                _callbacks[pin] = list = [];
            }

            list.Add((edges, callback));
        }
    }

    public void RemoveEdgeCallback(int pin, Action<PinEvent> callback)
    {
        lock (_gate)
        {
            if (_callbacks.TryGetValue(pin, out var list))
            {
                list.RemoveAll(c => c.Callback == callback);
            }
        }
    }

    /// <summary>Completes at the next matching edge on <paramref name="pin"/>.</summary>
    public async Task<PinEvent> WaitForEdgeAsync(int pin, PinEdge edges, CancellationToken cancellationToken)
    {
        var next = new TaskCompletionSource<PinEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEdge(PinEvent e) => next.TrySetResult(e);
        AddEdgeCallback(pin, edges, OnEdge);
        try
        {
            return await next.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            RemoveEdgeCallback(pin, OnEdge);
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    protected void RaiseEdge(PinEvent e)
    {
        (PinEdge Edges, Action<PinEvent> Callback)[] targets;
        lock (_gate)
        {
            targets = _callbacks.TryGetValue(e.Pin, out var list) ? [.. list] : [];
        }

        foreach (var (edges, callback) in targets)
        {
            if ((edges & e.Edge) != 0)
            {
                callback(e);
            }
        }
    }

    protected void CheckPin(int pin) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)pin, (uint)PinCount, nameof(pin));
}
