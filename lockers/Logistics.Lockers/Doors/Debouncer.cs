namespace Logistics.Lockers.Doors;

/// <summary>
/// Accepts a raw input value only once it has stayed the same for the debounce time; a bounce that returns to
/// the stable value before then is forgotten. Not thread-safe: the owner serialises calls, timer included.
/// </summary>
internal sealed class Debouncer(TimeProvider time, TimeSpan settle, bool initial, Action<bool> onStableChange, Action<Action> serialise)
{
    private ITimer? _timer;
    private int _generation;

    public bool Stable { get; private set; } = initial;

    public void OnRaw(bool value)
    {
        _timer?.Dispose();
        _timer = null;
        _generation++;
        if (value == Stable)
        {
            return;
        }

        if (settle == TimeSpan.Zero)
        {
            Accept(value);
            return;
        }

        var generation = _generation;
        _timer = time.CreateTimer(_ => serialise(() => Settled(generation, value)), null, settle, Timeout.InfiniteTimeSpan);
    }

    private void Settled(int generation, bool value)
    {
        if (generation != _generation)
        {
            return;
        }

        _timer?.Dispose();
        _timer = null;
        Accept(value);
    }

    private void Accept(bool value)
    {
        Stable = value;
        onStableChange(value);
    }
}
