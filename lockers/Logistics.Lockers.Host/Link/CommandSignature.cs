using System.Security.Cryptography;
using Logistics.Domain.LockerLink;

namespace Logistics.Lockers.Host.Link;

/// <summary>Checks the core's ECDSA P-256 signature on a command (IEEE P1363, base64, over the canonical form).</summary>
public sealed class CommandSignature(ECDsa corePublicKey)
{
    public bool IsValid(SignedCommand signed)
    {
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signed.Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return corePublicKey.VerifyData(
            CanonicalForm.Of(signed.Command), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>What the core does (and tests): sign a command with the core's private key.</summary>
    public static SignedCommand Sign(DeviceCommand command, ECDsa corePrivateKey) =>
        new(command, Convert.ToBase64String(corePrivateKey.SignData(
            CanonicalForm.Of(command), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)));
}
