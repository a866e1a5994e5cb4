using System.Security.Cryptography;
using Logistics.LockerLink;
using Npgsql;

namespace Logistics.Application.Lockers;

/// <summary>
/// The core's command key (ECDSA P-256, created on first start): boards verify every command with its public half,
/// so a command forged on the network, or replayed to another board, is refused there.
/// </summary>
public sealed class CommandSigner(ECDsa key) : IDisposable
{
    public static async Task<CommandSigner> LoadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var command = dataSource.CreateCommand(
            """
            insert into app_secrets (name, value) values ('command-signing-key', $1)
            on conflict (name) do update set name = excluded.name
            returning value
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = fresh.ExportPkcs8PrivateKey() });
        var stored = (byte[])(await command.ExecuteScalarAsync(cancellationToken))!;
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(stored, out _);
        return new CommandSigner(key);
    }

    /// <summary>The public key in PEM, for the boards' configuration.</summary>
    public string PublicKeyPem => key.ExportSubjectPublicKeyInfoPem();

    public SignedCommand Sign(DeviceCommand command) => LinkSignatures.Sign(command, key);

    /// <summary>The welcome, signed for this connection (the board drops nothing from its journal without it).</summary>
    public CoreMessage.Welcome Sign(CoreMessage.Welcome welcome, LinkSession session) => LinkSignatures.Sign(welcome, session, key);

    /// <summary>An ack, signed for this connection.</summary>
    public CoreMessage.Ack Sign(CoreMessage.Ack ack, LinkSession session) => LinkSignatures.Sign(ack, session, key);

    /// <summary>Checks a board's hello against the public key registered for it.</summary>
    public static bool VerifyHello(BoardMessage.Hello hello, byte[] devicePublicKey)
    {
        using var publicKey = ECDsa.Create();
        try
        {
            publicKey.ImportSubjectPublicKeyInfo(devicePublicKey, out _);
            return LinkSignatures.Verify(hello, publicKey);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose() => key.Dispose();
}
