namespace Logistics.Lockers.Limits;

/// <summary>
/// At most <c>max</c> occurrences in any window of <c>window</c> length (a true sliding window: the oldest
/// occurrence leaving the window frees one slot). Thread-safe.
/// </summary>
public sealed class SlidingWindowLimit
{
    private readonly int _max;
    private readonly TimeSpan _window;
    private readonly Queue<DateTimeOffset> _occurrences = new();
    private readonly Lock _gate = new();

    public SlidingWindowLimit(int max, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _max = max;
        _window = window;
    }

    /// <summary>How long until one more occurrence is allowed; zero when it is allowed now.</summary>
    public TimeSpan RetryAfter(DateTimeOffset now)
    {
        lock (_gate)
        {
            Expire(now);
            return _occurrences.Count < _max ? TimeSpan.Zero : _occurrences.Peek() + _window - now;
        }
    }

    /// <summary>Counts one occurrence if the limit allows it; false (and nothing counted) when it does not.</summary>
    public bool TryRecord(DateTimeOffset now)
    {
        lock (_gate)
        {
            Expire(now);
            if (_occurrences.Count >= _max)
            {
                return false;
            }

            _occurrences.Enqueue(now);
            return true;
        }
    }

    /// <summary>Restores occurrences remembered across a restart.</summary>
    public void Load(IEnumerable<DateTimeOffset> occurrences)
    {
        lock (_gate)
        {
            _occurrences.Clear();
            foreach (var at in occurrences.Order().TakeLast(_max))
            {
                _occurrences.Enqueue(at);
            }
        }
    }

    public IReadOnlyList<DateTimeOffset> Snapshot()
    {
        lock (_gate)
        {
            return [.. _occurrences];
        }
    }

    private void Expire(DateTimeOffset now)
    {
        while (_occurrences.Count > 0 && _occurrences.Peek() + _window <= now)
        {
            _occurrences.Dequeue();
        }
    }
}
