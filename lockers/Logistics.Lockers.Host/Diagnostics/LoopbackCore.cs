using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Logistics.LockerLink;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Logistics.Lockers.Host.Diagnostics;

/// <summary>
/// The smallest core a board can talk to, on 127.0.0.1, for the self-test: the link's handshake (challenge, hello
/// checked against the device's registered key, welcome), events stored once by seq and acknowledged (welcome and
/// acks signed for the connection, as the core does), and commands signed with its own command key. No database, no domain: only what proves the board's side of the link works.
/// </summary>
internal sealed class LoopbackCore : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly ECDsa _commandKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly Channel<SignedCommand> _commands = Channel.CreateUnbounded<SignedCommand>();
    private ECDsa? _deviceKey;
    private long _commandSeq;

    private LoopbackCore(WebApplication web) => _web = web;

    public Uri Url => new(_web.Urls.First() + "/");

    public string CommandPublicKeyPem => _commandKey.ExportSubjectPublicKeyInfoPem();

    public ConcurrentDictionary<long, DeviceEvent> Stored { get; } = new();

    public string? HelloVersion { get; private set; }

    public static async Task<LoopbackCore> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var web = builder.Build();
        var core = new LoopbackCore(web);
        web.UseWebSockets();
        web.Map(LinkProtocol.Path, async (HttpContext http) =>
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync(LinkProtocol.SubProtocol);
            await core.SessionAsync(socket, http.RequestAborted);
        });
        await web.StartAsync();
        return core;
    }

    /// <summary>Registers the device's public key (what the operator does with <c>POST /api/lockers/{id}/device-key</c>).</summary>
    public void Register(string devicePublicKeyPem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(devicePublicKeyPem);
        _deviceKey = key;
    }

    public void Send(string deviceId, CommandBody body)
    {
        var seq = Interlocked.Increment(ref _commandSeq);
        var command = new DeviceCommand($"self-test-{seq}", deviceId, seq, DateTimeOffset.UtcNow.AddMinutes(10), body);
        _commands.Writer.TryWrite(LinkSignatures.Sign(command, _commandKey));
    }

    public async ValueTask DisposeAsync()
    {
        _commands.Writer.TryComplete();
        await _web.StopAsync();
        await _web.DisposeAsync();
        _commandKey.Dispose();
        _deviceKey?.Dispose();
    }

    private async Task SessionAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await SendAsync(socket, LinkJson.Serialize(new CoreMessage.Challenge(nonce)), cancellationToken);
        if (LinkJson.ReadBoardMessage(await ReceiveAsync(socket, cancellationToken) ?? "") is not BoardMessage.Hello hello
            || hello.Nonce != nonce || _deviceKey is null || !LinkSignatures.Verify(hello, _deviceKey))
        {
            await socket.CloseAsync((WebSocketCloseStatus)LinkProtocol.PolicyViolation, "authentication failed", cancellationToken);
            return;
        }

        HelloVersion = hello.ProgramVersion;
        var binding = new LinkSession(hello.DeviceId, nonce);
        var sendLock = new SemaphoreSlim(1, 1);
        var welcome = LinkSignatures.Sign(new CoreMessage.Welcome(Stored.IsEmpty ? 0 : Stored.Keys.Max()), binding, _commandKey);
        await SendAsync(socket, LinkJson.Serialize(welcome), cancellationToken);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pushing = Task.Run(
            async () =>
            {
                await foreach (var command in _commands.Reader.ReadAllAsync(session.Token))
                {
                    await Locked(sendLock, () => SendAsync(socket, LinkJson.Serialize(new CoreMessage.Command(command)), session.Token));
                }
            },
            session.Token);
        try
        {
            while (await ReceiveAsync(socket, cancellationToken) is { } frame)
            {
                if (LinkJson.ReadBoardMessage(frame) is BoardMessage.Event { Body: var e })
                {
                    Stored.TryAdd(e.Seq, e);
                    var ack = LinkSignatures.Sign(new CoreMessage.Ack(e.Seq), binding, _commandKey);
                    await Locked(sendLock, () => SendAsync(socket, LinkJson.Serialize(ack), cancellationToken));
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The board went away.
        }
        finally
        {
            await session.CancelAsync();
            await pushing.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task Locked(SemaphoreSlim gate, Func<Task> send)
    {
        await gate.WaitAsync();
        try
        {
            await send();
        }
        finally
        {
            gate.Release();
        }
    }

    private static Task SendAsync(WebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private static async Task<string?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var part = await socket.ReceiveAsync(buffer, cancellationToken);
            if (part.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, part.Count);
            if (part.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }
}
