using Logistics.Lockers.Doors;

namespace Logistics.Lockers.Codes;

/// <summary>A valid pickup code as the board knows it: only its keyed hash.</summary>
public sealed record ProvisionedCode(string ParcelId, CompartmentId Compartment, byte[] CodeHash, DateTimeOffset ExpiresAt);

/// <summary>The answer to a code typed on the keypad.</summary>
public abstract record CodeCheck
{
    private CodeCheck()
    {
    }

    public sealed record Accepted(string ParcelId, CompartmentId Compartment, DateTimeOffset CollectedAt) : CodeCheck
    {
        /// <summary>The other parcels the same code opens (the recipient's parcels at this locker share one code).</summary>
        public IReadOnlyList<Opened> Shared { get; init; } = [];

        /// <summary>Every parcel the code opens, the first one first.</summary>
        public IReadOnlyList<Opened> All => [new Opened(ParcelId, Compartment), .. Shared];
    }

    /// <summary>A parcel a code opens, behind its compartment's door.</summary>
    public sealed record Opened(string ParcelId, CompartmentId Compartment);

    /// <summary>Wrong, expired or used code; <paramref name="RetryAfter"/> is non-zero once the keypad is throttled.</summary>
    public sealed record Rejected(RejectionReason Reason, TimeSpan RetryAfter) : CodeCheck
    {
        /// <summary>Whole minutes to wait, rounded up, for the screen.</summary>
        public int RetryAfterMinutes => (int)Math.Ceiling(RetryAfter.TotalMinutes);
    }
}

public enum RejectionReason
{
    WrongCode,
    Expired,
    /// <summary>Too many wrong codes lately: the code was not even checked.</summary>
    Throttled,
    /// <summary>No code key yet (never provisioned by the core).</summary>
    NotProvisioned,
}
