namespace Logistics.Lockers.Doors;

/// <summary>
/// Grants one supply rail to one pulse at a time, first come first served, so two coils never draw from one
/// rail together. Not thread-safe: the door controller calls it under its own lock.
/// </summary>
public sealed class RailArbiter
{
    private readonly Dictionary<int, Rail> _rails = [];

    /// <summary>True when the rail was free and is now held by <paramref name="compartment"/>; otherwise queued.</summary>
    public bool Request(int rail, CompartmentId compartment)
    {
        var state = RailFor(rail);
        if (state.Holder is null)
        {
            state.Holder = compartment;
            return true;
        }

        if (state.Holder != compartment && !state.Waiting.Contains(compartment))
        {
            state.Waiting.Add(compartment);
        }

        return false;
    }

    /// <summary>Releases the rail (or drops a queued request) and returns the compartment granted next, if any.</summary>
    public CompartmentId? Release(int rail, CompartmentId compartment)
    {
        var state = RailFor(rail);
        if (state.Holder != compartment)
        {
            state.Waiting.Remove(compartment);
            return null;
        }

        state.Holder = null;
        if (state.Waiting.Count == 0)
        {
            return null;
        }

        var next = state.Waiting[0];
        state.Waiting.RemoveAt(0);
        state.Holder = next;
        return next;
    }

    public CompartmentId? HolderOf(int rail) => _rails.TryGetValue(rail, out var state) ? state.Holder : null;

    private Rail RailFor(int rail)
    {
        if (!_rails.TryGetValue(rail, out var state))
        {
            state = new Rail();
            _rails[rail] = state;
        }

        return state;
    }

    private sealed class Rail
    {
        public CompartmentId? Holder { get; set; }

        public List<CompartmentId> Waiting { get; } = [];
    }
}
