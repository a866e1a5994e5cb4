using Logistics.Domain.Parcels;

namespace Logistics.Domain.HomeBoxes;

/// <summary>A home box: provisioned and free to pair, or owned by one resident.</summary>
public abstract record HomeBox
{
    private HomeBox()
    {
    }

    public static HomeBox Initial { get; } = new NotProvisioned();

    public sealed record NotProvisioned : HomeBox;

    public sealed record Available(LockerId Box, string PairingCodeHash, DateTimeOffset Since) : HomeBox;

    public sealed record Owned(LockerId Box, string PairingCodeHash, Recipient Resident, string PhoneKey, DateTimeOffset Since) : HomeBox;

    public static HomeBox Evolve(HomeBox state, HomeBoxEvent e) => (state, e) switch
    {
        (NotProvisioned, HomeBoxProvisioned p) => new Available(p.Box, p.PairingCodeHash, p.At),
        (Available s, HomeBoxClaimed c) => new Owned(s.Box, s.PairingCodeHash, c.Resident, c.PhoneKey, c.At),
        (Owned s, HomeBoxReleased r) => new Available(s.Box, s.PairingCodeHash, r.At),
        _ => state,
    };

    public static HomeBox Fold(IEnumerable<HomeBoxEvent> events) => events.Aggregate(Initial, Evolve);
}
