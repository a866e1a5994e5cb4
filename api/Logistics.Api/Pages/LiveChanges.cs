using Logistics.Api.Hosting;
using Logistics.Application.ReadSide;
using Logistics.EventStore.Postgres;

namespace Logistics.Api.Pages;

/// <summary>
/// One watcher of the read models' progress for every live feed open on this node: it polls the checkpoints (and
/// wakes on appends) only while someone listens, and tells each listener which read models moved on. Listeners are
/// limited in all and per client address (<see cref="LogisticsOptions.LiveFeedConnections"/>,
/// <see cref="LogisticsOptions.LiveFeedConnectionsPerAddress"/>), and each holds at most the handful of read model
/// names, however slowly its page reads: a thousand open pages cost one query every two seconds, not a thousand.
/// </summary>
public sealed class LiveChanges(PostgresEventStore store, ReadModelProgress progress, LogisticsOptions options, IHostApplicationLifetime lifetime, ILogger<LiveChanges> logger) : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(150);

    private readonly Lock _gate = new();
    private readonly HashSet<Listener> _listeners = [];
    private readonly Dictionary<string, int> _perAddress = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _someone = new(0, 1);
    private Task? _watching;

    /// <summary>Listeners on this node.</summary>
    public int Listening
    {
        get
        {
            lock (_gate)
            {
                return _listeners.Count;
            }
        }
    }

    /// <summary>A new listener for a page at <paramref name="address"/>, or null when this node or that address has too many.</summary>
    public Listener? Listen(string? address)
    {
        address ??= "unknown";
        lock (_gate)
        {
            var theirs = _perAddress.GetValueOrDefault(address);
            if (_listeners.Count >= options.LiveFeedConnections || theirs >= options.LiveFeedConnectionsPerAddress)
            {
                return null;
            }

            _perAddress[address] = theirs + 1;
            var listener = new Listener(this, address);
            _listeners.Add(listener);
            _watching ??= Task.Run(() => WatchAsync(lifetime.ApplicationStopping));
            if (_listeners.Count == 1 && _someone.CurrentCount == 0)
            {
                _someone.Release();
            }

            return listener;
        }
    }

    public void Dispose() => _someone.Dispose();

    private void Leave(Listener listener)
    {
        lock (_gate)
        {
            if (_listeners.Remove(listener) && --_perAddress[listener.Address] == 0)
            {
                _perAddress.Remove(listener.Address);
            }
        }
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        IReadOnlyDictionary<string, string>? known = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (Listening == 0)
                {
                    known = null;
                    await _someone.WaitAsync(stopping);
                    continue;
                }

                // Taken before reading, so an append between the read and the wait still wakes us.
                var next = store.NextAppend();
                var now = await progress.CheckpointsAsync(stopping);
                if (known is not null)
                {
                    var moved = now.Where(c => !known.TryGetValue(c.Key, out var before) || before != c.Value).Select(c => Kind(c.Key)).Distinct().ToArray();
                    if (moved.Length > 0)
                    {
                        Tell(moved);
                    }
                }

                known = now;

                // Real time on purpose: this is polling, not business time. Projections lag an append slightly,
                // so after a wake-up the checkpoints are read again a moment later.
                if (await Task.WhenAny(next, Task.Delay(Poll, stopping)) == next)
                {
                    await Task.Delay(Settle, stopping);
                }
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is away: the pages keep their feed and hear of changes once it is back.
                logger.LogWarning(e, "The live feed could not read the read models' progress; retrying");
                known = null;
                await Task.Delay(Poll, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void Tell(string[] kinds)
    {
        Listener[] listeners;
        lock (_gate)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            listener.Hear(kinds);
        }
    }

    private static string Kind(string projection) => projection switch
    {
        "parcel-timeline" => "timeline",
        _ => projection,
    };

    /// <summary>One page's feed: the read models that moved on since it last asked.</summary>
    public sealed class Listener(LiveChanges owner, string address) : IDisposable
    {
        private readonly HashSet<string> _moved = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _signal = new(0, 1);

        internal string Address => address;

        /// <summary>The read models that moved on, or null when nothing did within <paramref name="wait"/>.</summary>
        public async Task<string[]?> NextAsync(TimeSpan wait, CancellationToken cancellationToken)
        {
            if (!await _signal.WaitAsync(wait, cancellationToken))
            {
                return null;
            }

            lock (_moved)
            {
                string[] kinds = [.. _moved.Order(StringComparer.Ordinal)];
                _moved.Clear();
                return kinds;
            }
        }

        public void Dispose() => owner.Leave(this);

        internal void Hear(string[] kinds)
        {
            lock (_moved)
            {
                _moved.UnionWith(kinds);
                if (_signal.CurrentCount == 0)
                {
                    _signal.Release();
                }
            }
        }
    }
}
