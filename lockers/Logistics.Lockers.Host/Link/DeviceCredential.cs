using System.Security.Cryptography;
using Logistics.LockerLink;

namespace Logistics.Lockers.Host.Link;

/// <summary>
/// The locker's own ECDSA P-256 key: generated on the board, only its public half is registered with the core.
/// It signs the answer to the core's challenge.
/// </summary>
public sealed class DeviceCredential(string deviceId, ECDsa privateKey, string? programVersion = null)
{
    public string DeviceId { get; } = deviceId;

    /// <summary>The board program's version, reported (and signed) in every hello.</summary>
    public string? ProgramVersion { get; } = programVersion;

    public BoardMessage.Hello Hello(Guid bootId, string nonce, long lastSeq) =>
        LinkSignatures.Sign(new BoardMessage.Hello(DeviceId, bootId, nonce, lastSeq, "", ProgramVersion), privateKey);

    public static bool Verify(BoardMessage.Hello hello, ECDsa devicePublicKey) => LinkSignatures.Verify(hello, devicePublicKey);
}
