using System.Text.Json.Serialization;

namespace Logistics.LockerLink;

/// <summary>
/// A command from the core to one locker. <see cref="Seq"/> increases per device (the board refuses a new id
/// whose seq is not above the last it accepted); a repeat of an executed id gets its stored result again.
/// </summary>
public sealed record DeviceCommand(string CommandId, string DeviceId, long Seq, DateTimeOffset ExpiresAt, CommandBody Body);

/// <summary>A command and the core's ECDSA P-256 signature (IEEE P1363 r‖s, base64) over <see cref="CanonicalForm.Of(DeviceCommand)"/>.</summary>
public sealed record SignedCommand(DeviceCommand Command, string Signature);

[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(OpenForDeposit), "openForDeposit")]
[JsonDerivedType(typeof(ProvisionCodes), "provisionCodes")]
[JsonDerivedType(typeof(RevokeCode), "revokeCode")]
[JsonDerivedType(typeof(RemoteOpen), "remoteOpen")]
[JsonDerivedType(typeof(SetOutOfService), "setOutOfService")]
[JsonDerivedType(typeof(SetCodeKey), "setCodeKey")]
[JsonDerivedType(typeof(OpenForPickup), "openForPickup")]
[JsonDerivedType(typeof(OpenForCollection), "openForCollection")]
[JsonDerivedType(typeof(InstallRelease), "installRelease")]
public abstract record CommandBody
{
    private CommandBody()
    {
    }

    public sealed record OpenForDeposit(int Compartment, string ParcelId) : CommandBody;

    /// <summary>Opens a compartment for the courier taking a parcel out (dropped there by its shop, or not collected in time).</summary>
    public sealed record OpenForPickup(int Compartment, string ParcelId) : CommandBody;

    /// <summary>
    /// Opens a compartment for its recipient, whose code the core checked online; the board forgets the code (single
    /// use) and its door's opening is the collection.
    /// </summary>
    public sealed record OpenForCollection(int Compartment, string ParcelId) : CommandBody;

    /// <summary>Adds or replaces verifiers: HMAC-SHA256(code key, normalised code), see the board's PickupCodeHash.</summary>
    public sealed record ProvisionCodes(IReadOnlyList<CodeVerifier> Codes) : CommandBody;

    public sealed record RevokeCode(string ParcelId) : CommandBody;

    public sealed record RemoteOpen(int Compartment, string Reason, string OperatorId) : CommandBody;

    public sealed record SetOutOfService(int Compartment, bool OutOfService, string Reason) : CommandBody;

    /// <summary>The key pickup codes are hashed with (32 bytes); sent over the TLS link only.</summary>
    public sealed record SetCodeKey(byte[] Key) : CommandBody;

    /// <summary>
    /// Install release <paramref name="Version"/>: the board fetches <see cref="SignedRelease.ManifestPath"/> and
    /// <see cref="SignedRelease.BundlePath"/> from the core, checks the manifest against its release public key,
    /// installs beside the running version and restarts into it; it goes back by itself if the new version does not
    /// reach the core in time. Executed means "fetching"; <c>updateInstalled</c>, <c>updateRefused</c> and
    /// <c>updateRolledBack</c> events tell the rest.
    /// </summary>
    public sealed record InstallRelease(string Version) : CommandBody;
}

/// <summary>The keyed hash of one parcel's pickup code (32 bytes) and until when it is valid.</summary>
public sealed record CodeVerifier(string ParcelId, int Compartment, byte[] CodeHash, DateTimeOffset ExpiresAt);
