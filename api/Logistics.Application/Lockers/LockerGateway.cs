using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.LockerLink;

namespace Logistics.Application.Lockers;

/// <summary>
/// One board's WebSocket session: challenge → signed hello → welcome with the highest event stored; then events
/// are applied in order and acknowledged cumulatively, while queued commands are signed and sent in seq order.
/// The locker is online while a session is open.
/// </summary>
public sealed class LockerGateway(LockerDevices devices, DeviceEventHandler handler, EventStreams streams, ILogger<LockerGateway> logger)
{
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(15);

    // A board that reconnects opens its new session before the old one notices the cut: only the latest session of a
    // device may report it offline.
    // A device's session start and end are serialised, so an old session's "offline" never lands after a new one's
    // "online".
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Guid> _sessions = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _deviceLocks = new(StringComparer.Ordinal);

    public async Task RunAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await SendAsync(socket, new CoreMessage.Challenge(nonce), cancellationToken);
        using var helloTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        helloTimeout.CancelAfter(HelloTimeout);
        BoardMessage.Hello? hello;
        try
        {
            hello = await ReceiveAsync(socket, helloTimeout.Token) as BoardMessage.Hello;
        }
        catch (OperationCanceledException)
        {
            hello = null;
        }

        var key = hello is null ? null : await devices.PublicKeyAsync(hello.DeviceId, cancellationToken);
        if (hello is null || key is null || hello.Nonce != nonce || !CommandSigner.VerifyHello(hello, key))
        {
            logger.LogWarning("A locker link was refused: {Reason}", hello is null ? "no hello" : key is null ? $"unknown device {hello.DeviceId}" : "bad nonce or signature");
            await socket.CloseAsync((WebSocketCloseStatus)LinkProtocol.PolicyViolation, "authentication failed", CancellationToken.None);
            return;
        }

        var device = hello.DeviceId;
        var locker = new LockerId(device);
        var sessionId = Guid.NewGuid();
        var deviceLock = _deviceLocks.GetOrAdd(device, _ => new SemaphoreSlim(1, 1));
        await socket.SendAsync(Encode(new CoreMessage.Welcome(await devices.AckedSeqAsync(device, cancellationToken))), WebSocketMessageType.Text, true, cancellationToken);
        await deviceLock.WaitAsync(cancellationToken);
        try
        {
            _sessions[device] = sessionId;
            await ReportAsync(locker, online: true);
        }
        finally
        {
            deviceLock.Release();
        }

        logger.LogInformation("Locker {Locker} connected (boot {Boot})", device, hello.BootId);

        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sendLock = new SemaphoreSlim(1, 1);
        var sender = SendCommandsAsync(socket, device, sendLock, session.Token);
        try
        {
            while (await ReceiveAsync(socket, session.Token) is { } message)
            {
                if (message is not BoardMessage.Event { Body: var e } || e.DeviceId != device)
                {
                    continue;
                }

                var acked = await devices.AckedSeqAsync(device, session.Token);
                if (e.Seq == acked + 1)
                {
                    await handler.ApplyAsync(device, e, session.Token);
                    await devices.StoreEventAsync(device, e, session.Token);
                }
                else if (e.Seq > acked + 1)
                {
                    logger.LogWarning("Locker {Locker} skipped from {Acked} to {Seq}: reconnecting it", device, acked, e.Seq);
                    break;
                }

                await sendLock.WaitAsync(session.Token);
                try
                {
                    await SendAsync(socket, new CoreMessage.Ack(Math.Max(e.Seq, acked)), session.Token);
                }
                finally
                {
                    sendLock.Release();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The link dropped: the board reconnects and resends what was not acknowledged.
        }
        finally
        {
            await session.CancelAsync();
            await sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await deviceLock.WaitAsync(CancellationToken.None);
            try
            {
                if (_sessions.TryRemove(new KeyValuePair<string, Guid>(device, sessionId)))
                {
                    await ReportAsync(locker, online: false);
                }
            }
            finally
            {
                deviceLock.Release();
            }

            logger.LogInformation("Locker {Locker} disconnected", device);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task SendCommandsAsync(WebSocket socket, string device, SemaphoreSlim sendLock, CancellationToken cancellationToken)
    {
        try
        {
            await SendPendingCommandsAsync(socket, device, sendLock, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The board reconnects and gets its commands again.
            logger.LogError(e, "Sending commands to locker {Locker} failed; dropping the link", device);
            socket.Abort();
        }
    }

    private async Task SendPendingCommandsAsync(WebSocket socket, string device, SemaphoreSlim sendLock, CancellationToken cancellationToken)
    {
        long sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = devices.NextCommand(device);
            foreach (var command in await devices.PendingAsync(device, sent, cancellationToken))
            {
                await sendLock.WaitAsync(cancellationToken);
                try
                {
                    await SendAsync(socket, new CoreMessage.Command(command), cancellationToken);
                }
                finally
                {
                    sendLock.Release();
                }

                await devices.MarkSentAsync(device, command.Command.Seq, cancellationToken);
                sent = command.Command.Seq;
            }

            await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken));
        }
    }

    private async Task ReportAsync(LockerId locker, bool online)
    {
        try
        {
            var now = streams.Clock.GetUtcNow();
            await streams.HandleAsync(
                Deciders.Locker, Deciders.Stream(locker), _ => online ? new ReportOnline(now) : new ReportOffline(now), new CommandContext(new Actor(Roles.Locker, locker.Value)), cancellationToken: CancellationToken.None);
        }
        catch (DomainRuleViolation e)
        {
            logger.LogWarning("Locker {Locker} status not recorded: {Reason}", locker, e.Message);
        }
    }

    private static ArraySegment<byte> Encode(CoreMessage message) => Encoding.UTF8.GetBytes(LinkJson.Serialize(message));

    private static Task SendAsync(WebSocket socket, CoreMessage message, CancellationToken cancellationToken) =>
        socket.SendAsync(Encode(message), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task<BoardMessage?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (message.Length > 1024 * 1024)
            {
                throw new WebSocketException("A locker message over 1 MiB.");
            }

            if (result.EndOfMessage)
            {
                return LinkJson.ReadBoardMessage(Encoding.UTF8.GetString(message.ToArray()));
            }
        }
    }
}
