using System.Security.Cryptography;
using Logistics.LockerLink;

namespace Logistics.Lockers.Host.Link;

/// <summary>Checks the core's ECDSA P-256 signature on a command (IEEE P1363, base64, over the canonical form).</summary>
public sealed class CommandSignature(ECDsa corePublicKey)
{
    public bool IsValid(SignedCommand signed) => LinkSignatures.Verify(signed, corePublicKey);

    public static SignedCommand Sign(DeviceCommand command, ECDsa corePrivateKey) => LinkSignatures.Sign(command, corePrivateKey);
}
