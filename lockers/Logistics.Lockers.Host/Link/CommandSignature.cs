using System.Security.Cryptography;
using Logistics.LockerLink;

namespace Logistics.Lockers.Host.Link;

/// <summary>
/// Checks the core's ECDSA P-256 signatures (IEEE P1363, base64, over the canonical forms): on commands, and on the
/// welcome and acks of one connection, so that nobody but the core can make the board drop events from its journal.
/// </summary>
public sealed class CommandSignature(ECDsa corePublicKey)
{
    public bool IsValid(SignedCommand signed) => LinkSignatures.Verify(signed, corePublicKey);

    public bool IsValid(CoreMessage.Welcome welcome, LinkSession session) => LinkSignatures.Verify(welcome, session, corePublicKey);

    public bool IsValid(CoreMessage.Ack ack, LinkSession session) => LinkSignatures.Verify(ack, session, corePublicKey);

    public static SignedCommand Sign(DeviceCommand command, ECDsa corePrivateKey) => LinkSignatures.Sign(command, corePrivateKey);
}
