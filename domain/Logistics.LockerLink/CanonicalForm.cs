using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Logistics.LockerLink;

/// <summary>
/// The exact bytes that are signed, independent of JSON formatting: a domain tag then every field as a
/// 4-byte big-endian length and its UTF-8 text (numbers in invariant decimal, instants as Unix milliseconds,
/// byte arrays as base64, lists as their count then their items).
/// </summary>
public static class CanonicalForm
{
    public static byte[] Of(DeviceCommand command)
    {
        var w = new Writer("logistics.locker.command.v1");
        w.Add(command.CommandId).Add(command.DeviceId).Add(command.Seq).Add(command.ExpiresAt);
        switch (command.Body)
        {
            case CommandBody.OpenForDeposit b:
                w.Add("openForDeposit").Add(b.Compartment).Add(b.ParcelId);
                break;
            case CommandBody.OpenForPickup b:
                w.Add("openForPickup").Add(b.Compartment).Add(b.ParcelId);
                break;
            case CommandBody.OpenForCollection b:
                w.Add("openForCollection").Add(b.Compartment).Add(b.ParcelId);
                break;
            case CommandBody.ProvisionCodes b:
                w.Add("provisionCodes").Add(b.Codes.Count);
                foreach (var c in b.Codes)
                {
                    w.Add(c.ParcelId).Add(c.Compartment).Add(c.CodeHash).Add(c.ExpiresAt);
                }

                break;
            case CommandBody.RevokeCode b:
                w.Add("revokeCode").Add(b.ParcelId);
                break;
            case CommandBody.RemoteOpen b:
                w.Add("remoteOpen").Add(b.Compartment).Add(b.Reason).Add(b.OperatorId);
                break;
            case CommandBody.SetOutOfService b:
                w.Add("setOutOfService").Add(b.Compartment).Add(b.OutOfService ? "1" : "0").Add(b.Reason);
                break;
            case CommandBody.SetCodeKey b:
                w.Add("setCodeKey").Add(b.Key);
                break;
            case CommandBody.InstallRelease b:
                w.Add("installRelease").Add(b.Version);
                break;
            default:
                throw new ArgumentException($"No canonical form for {command.Body.GetType().Name}.", nameof(command));
        }

        return w.ToArray();
    }

    public static byte[] Of(BoardMessage.Hello hello)
    {
        var w = new Writer("logistics.locker.hello.v1").Add(hello.DeviceId).Add(hello.BootId.ToString("D")).Add(hello.Nonce).Add(hello.LastSeq);
        return (hello.ProgramVersion is { } version ? w.Add(version) : w).ToArray();
    }

    public static byte[] Of(CoreMessage.Welcome welcome, LinkSession session) =>
        new Writer("logistics.locker.welcome.v1").Add(session.DeviceId).Add(session.Nonce).Add(welcome.AckedSeq).ToArray();

    public static byte[] Of(CoreMessage.Ack ack, LinkSession session) =>
        new Writer("logistics.locker.ack.v1").Add(session.DeviceId).Add(session.Nonce).Add(ack.UpToSeq).ToArray();

    public static byte[] Of(ReleaseManifest manifest) =>
        new Writer("logistics.locker.release.v1").Add(manifest.Product).Add(manifest.Version).Add(manifest.Runtime).Add(manifest.EntryPoint)
            .Add(manifest.BundleSha256).Add(manifest.BundleBytes).Add(manifest.CreatedAt).ToArray();

    private sealed class Writer
    {
        private readonly ArrayBufferWriter<byte> _bytes = new();

        public Writer(string tag) => Add(tag);

        public Writer Add(string value)
        {
            var text = Encoding.UTF8.GetBytes(value);
            BinaryPrimitives.WriteInt32BigEndian(_bytes.GetSpan(4), text.Length);
            _bytes.Advance(4);
            _bytes.Write(text);
            return this;
        }

        public Writer Add(long value) => Add(value.ToString(CultureInfo.InvariantCulture));

        public Writer Add(DateTimeOffset value) => Add(value.ToUnixTimeMilliseconds());

        public Writer Add(byte[] value) => Add(Convert.ToBase64String(value));

        public byte[] ToArray() => _bytes.WrittenSpan.ToArray();
    }
}
