using System.Security.Cryptography;
using Logistics.Domain.LockerLink;

namespace Logistics.Lockers.Host.Link;

/// <summary>
/// The locker's own ECDSA P-256 key: generated on the board, only its public half is registered with the core.
/// It signs the answer to the core's challenge.
/// </summary>
public sealed class DeviceCredential(string deviceId, ECDsa privateKey)
{
    public string DeviceId { get; } = deviceId;

    public BoardMessage.Hello Hello(Guid bootId, string nonce, long lastSeq)
    {
        var unsigned = new BoardMessage.Hello(DeviceId, bootId, nonce, lastSeq, "");
        var signature = privateKey.SignData(
            CanonicalForm.Of(unsigned), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return unsigned with { Signature = Convert.ToBase64String(signature) };
    }

    /// <summary>What the core's gateway does with the registered public key.</summary>
    public static bool Verify(BoardMessage.Hello hello, ECDsa devicePublicKey)
    {
        try
        {
            return devicePublicKey.VerifyData(
                CanonicalForm.Of(hello), Convert.FromBase64String(hello.Signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
