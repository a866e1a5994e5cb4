using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Limits;

namespace Logistics.Lockers.Codes;

/// <summary>
/// Checks codes typed at the locker against the keyed hashes the core provisioned, so collection works
/// offline. Codes are single-use and expire (a code shared by several parcels opens each of them once); wrong codes are throttled per locker (a sliding window, 20 an
/// hour by default). Thread-safe. Persisting the set across restarts is the host's job (see <see cref="Snapshot"/>).
/// </summary>
public sealed class PickupCodeVerifier
{
    private readonly TimeProvider _time;
    private readonly SlidingWindowLimit _failures;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ProvisionedCode> _codes = [];
    private byte[]? _key;

    public PickupCodeVerifier(TimeProvider time, int maxFailures = 20, TimeSpan? failureWindow = null)
    {
        _time = time;
        _failures = new SlidingWindowLimit(maxFailures, failureWindow ?? TimeSpan.FromHours(1));
    }

    public SlidingWindowLimit Failures => _failures;

    public void SetKey(ReadOnlySpan<byte> key)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(key.Length, 16, nameof(key));
        lock (_gate)
        {
            _key = key.ToArray();
        }
    }

    /// <summary>Adds or replaces the code of a parcel (a parcel has one code at a time).</summary>
    public void Provision(ProvisionedCode code)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(code.CodeHash.Length, 32, nameof(code));
        lock (_gate)
        {
            _codes[code.ParcelId] = code;
        }
    }

    public bool Revoke(string parcelId)
    {
        lock (_gate)
        {
            return _codes.Remove(parcelId);
        }
    }

    public IReadOnlyList<ProvisionedCode> Snapshot()
    {
        lock (_gate)
        {
            return [.. _codes.Values];
        }
    }

    /// <summary>Checks a typed code; an accepted code is used up at once.</summary>
    public CodeCheck Check(string typed)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var wait = _failures.RetryAfter(now);
            if (wait > TimeSpan.Zero)
            {
                return new CodeCheck.Rejected(RejectionReason.Throttled, wait);
            }

            if (_key is null)
            {
                return new CodeCheck.Rejected(RejectionReason.NotProvisioned, TimeSpan.Zero);
            }

            var hash = PickupCodeHash.Compute(_key, typed);
            var matches = new List<ProvisionedCode>();
            foreach (var code in _codes.Values)
            {
                // Every stored hash is compared, in constant time, so timing tells nothing about near misses.
                if (CryptographicOperations.FixedTimeEquals(hash, code.CodeHash))
                {
                    matches.Add(code);
                }
            }

            // One code may open several compartments: a recipient's parcels at this locker share it, whichever shops
            // sent them. Each is used up with the others.
            var valid = matches.Where(c => c.ExpiresAt > now).OrderBy(c => c.Compartment.Value).ToList();
            if (valid.Count > 0)
            {
                foreach (var code in valid)
                {
                    _codes.Remove(code.ParcelId);
                }

                return new CodeCheck.Accepted(valid[0].ParcelId, valid[0].Compartment, now)
                {
                    Shared = [.. valid.Skip(1).Select(c => new CodeCheck.Opened(c.ParcelId, c.Compartment))],
                };
            }

            var match = matches.FirstOrDefault();
            _failures.TryRecord(now);
            var reason = match is null ? RejectionReason.WrongCode : RejectionReason.Expired;
            return new CodeCheck.Rejected(reason, _failures.RetryAfter(now));
        }
    }
}
