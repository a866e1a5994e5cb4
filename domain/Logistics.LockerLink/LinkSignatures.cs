using System.Security.Cryptography;

namespace Logistics.LockerLink;

/// <summary>
/// The link's signatures, shared by the board and the core: ECDSA P-256 with SHA-256 over the canonical form,
/// IEEE P1363 encoding (r‖s, 64 bytes), base64 on the wire.
/// </summary>
public static class LinkSignatures
{
    public static SignedCommand Sign(DeviceCommand command, ECDsa corePrivateKey) =>
        new(command, Sign(CanonicalForm.Of(command), corePrivateKey));

    public static bool Verify(SignedCommand signed, ECDsa corePublicKey) =>
        Verify(CanonicalForm.Of(signed.Command), signed.Signature, corePublicKey);

    public static BoardMessage.Hello Sign(BoardMessage.Hello hello, ECDsa devicePrivateKey) =>
        hello with { Signature = Sign(CanonicalForm.Of(hello), devicePrivateKey) };

    public static bool Verify(BoardMessage.Hello hello, ECDsa devicePublicKey) =>
        Verify(CanonicalForm.Of(hello), hello.Signature, devicePublicKey);

    public static CoreMessage.Welcome Sign(CoreMessage.Welcome welcome, LinkSession session, ECDsa corePrivateKey) =>
        welcome with { Signature = Sign(CanonicalForm.Of(welcome, session), corePrivateKey) };

    public static bool Verify(CoreMessage.Welcome welcome, LinkSession session, ECDsa corePublicKey) =>
        Verify(CanonicalForm.Of(welcome, session), welcome.Signature, corePublicKey);

    public static CoreMessage.Ack Sign(CoreMessage.Ack ack, LinkSession session, ECDsa corePrivateKey) =>
        ack with { Signature = Sign(CanonicalForm.Of(ack, session), corePrivateKey) };

    public static bool Verify(CoreMessage.Ack ack, LinkSession session, ECDsa corePublicKey) =>
        Verify(CanonicalForm.Of(ack, session), ack.Signature, corePublicKey);

    private static string Sign(byte[] canonical, ECDsa key) =>
        Convert.ToBase64String(key.SignData(canonical, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    private static bool Verify(byte[] canonical, string signature, ECDsa key)
    {
        try
        {
            return key.VerifyData(canonical, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }
}
