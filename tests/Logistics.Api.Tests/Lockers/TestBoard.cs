using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Logistics.LockerLink;

namespace Logistics.Api.Tests.Lockers;

/// <summary>
/// A minimal board speaking the link protocol over a real WebSocket: it signs its hello with its own key, verifies
/// the core's command signatures, and sends the events a test tells it to.
/// </summary>
public sealed class TestBoard(string deviceId, ECDsa deviceKey, ECDsa corePublicKey) : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Guid _boot = Guid.NewGuid();

    public long Welcomed { get; private set; } = -1;

    public List<SignedCommand> Commands { get; } = [];

    public long LastAck { get; private set; }

    public static string PublicKeyPem(ECDsa key) => key.ExportSubjectPublicKeyInfoPem();

    public async Task ConnectAsync(Uri server, Func<string, string>? tamperNonce = null)
    {
        _socket.Options.AddSubProtocol(LinkProtocol.SubProtocol);
        await _socket.ConnectAsync(new Uri($"ws://{server.Authority}{LinkProtocol.Path}"), CancellationToken.None);
        var challenge = (CoreMessage.Challenge)(await ReceiveAsync())!;
        var nonce = tamperNonce?.Invoke(challenge.Nonce) ?? challenge.Nonce;
        Session = new LinkSession(deviceId, nonce);
        var unsigned = new BoardMessage.Hello(deviceId, _boot, nonce, 0, "");
        var signature = deviceKey.SignData(CanonicalForm.Of(unsigned), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        await SendAsync(unsigned with { Signature = Convert.ToBase64String(signature) });
        if (await ReceiveAsync() is CoreMessage.Welcome welcome)
        {
            Assert.True(LinkSignatures.Verify(welcome, Session, corePublicKey), "a welcome without the core's signature for this connection");
            Welcomed = welcome.AckedSeq;
        }
    }

    /// <summary>What the core's welcome and acks are bound to: this device and this connection's nonce.</summary>
    public LinkSession Session { get; private set; } = new("", "");

    /// <summary>Every ack received, as sent (each verified against <see cref="Session"/>).</summary>
    public List<CoreMessage.Ack> Acks { get; } = [];

    /// <summary>An event as this board would journal it (its device, its boot), to send as it is or altered.</summary>
    public DeviceEvent Event(long seq, DevicePayload payload, DateTimeOffset at, bool clockSynchronised = true) =>
        new(deviceId, seq, _boot, seq * 1000, at, clockSynchronised, payload);

    public Task SendEventAsync(DeviceEvent e) => SendAsync(new BoardMessage.Event(e));

    /// <summary>Sends a frame as it is (unknown or malformed).</summary>
    public Task SendRawAsync(string frame) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Reads until the core closes the link (commands and acks are recorded on the way); throws after 30 s.</summary>
    public async Task WaitForCloseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await ReceiveAsync(timeout.Token) is { } message)
            {
                Record(message);
            }
        }
        catch (WebSocketException)
        {
            // Aborted by the core: closed too.
        }
    }

    public bool Closed => _socket.State != WebSocketState.Open;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public Task SendEventAsync(long seq, DevicePayload payload, DateTimeOffset at) =>
        SendAsync(new BoardMessage.Event(new DeviceEvent(deviceId, seq, _boot, seq * 1000, at, true, payload)));

    /// <summary>Reads frames until one matches (commands and acks are recorded on the way).</summary>
    public async Task<CoreMessage> WaitForAsync(Func<CoreMessage, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = await ReceiveAsync(timeout.Token) ?? throw new InvalidOperationException("the core closed the link");
            Record(message);
            if (match(message))
            {
                return message;
            }
        }
    }

    private void Record(CoreMessage message)
    {
        if (message is CoreMessage.Command command)
        {
            Assert.True(Verify(command.Signed), "a command with a bad signature");
            Commands.Add(command.Signed);
        }
        else if (message is CoreMessage.Ack ack)
        {
            Assert.True(LinkSignatures.Verify(ack, Session, corePublicKey), "an ack without the core's signature for this connection");
            Acks.Add(ack);
            LastAck = ack.UpToSeq;
        }
    }

    public bool Verify(SignedCommand signed) =>
        signed.Command.DeviceId == deviceId &&
        corePublicKey.VerifyData(CanonicalForm.Of(signed.Command), Convert.FromBase64String(signed.Signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>Drops the link without a closing handshake, as a cut cable does.</summary>
    public void Cut() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        _socket.Dispose();
    }

    private Task SendAsync(BoardMessage message) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(LinkJson.Serialize(message)), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task<CoreMessage?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return LinkJson.ReadCoreMessage(Encoding.UTF8.GetString(message.ToArray()));
            }
        }
    }
}
