using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.LockerLink;

namespace Logistics.Application.Lockers;

/// <summary>
/// One board's WebSocket session: challenge → signed hello → welcome with the highest event stored; then the events
/// waiting in the socket are taken in batches, each screened (<see cref="BoardScope"/>), applied in order and stored in
/// one transaction (<see cref="DeviceEventHandler"/>) and acknowledged with one cumulative ack, while queued commands are
/// signed and sent in seq order. The welcome and acks are signed for this connection (device and nonce), so only the
/// core can make a board drop an event. The link cannot be wedged: an event frame the core cannot read is stored as
/// unknown and acknowledged; any failure (the database included) ends the session and the board reconnects; the
/// locker is online while a session beats (<see cref="LockerSessions"/>); replacing the board's key ends its sessions;
/// handshakes not yet authenticated are limited per address and in all.
/// </summary>
public sealed class LockerGateway
{
    /// <summary>Connections that have not said a valid hello yet, from one address.</summary>
    public const int MaxPendingPerAddress = 16;

    /// <summary>Connections that have not said a valid hello yet, in all.</summary>
    public const int MaxPending = 256;

    /// <summary>Most frames stored and applied in one transaction.</summary>
    public const int MaxBatch = 256;

    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(15);

    private readonly LockerDevices _devices;
    private readonly DeviceEventHandler _handler;
    private readonly EventStreams _streams;
    private readonly LockerSessions _beats;
    private readonly CommandSigner _signer;
    private readonly ILogger<LockerGateway> _logger;

    // A board that reconnects opens its new session before the old one notices the cut: only the latest session of a
    // device may report it offline.
    // A device's session start and end are serialised, so an old session's "offline" never lands after a new one's
    // "online".
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Guid> _sessions = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _deviceLocks = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (string Device, CancellationTokenSource End)> _open = new();
    private readonly Dictionary<string, int> _pending = new(StringComparer.Ordinal);
    private readonly Lock _pendingGate = new();
    private int _pendingTotal;

    public LockerGateway(
        LockerDevices devices, DeviceEventHandler handler, EventStreams streams, LockerSessions beats, CommandSigner signer, ILogger<LockerGateway> logger)
    {
        _devices = devices;
        _handler = handler;
        _streams = streams;
        _beats = beats;
        _signer = signer;
        _logger = logger;
        devices.KeyReplaced += EndSessionsOf;
    }

    /// <summary>
    /// A place for one handshake from <paramref name="address"/> until its hello is verified (dispose it then, or when
    /// the connection ends), or null when that address or the gateway has too many handshakes under way.
    /// </summary>
    public IDisposable? AdmitHandshake(string? address)
    {
        address ??= "?";
        lock (_pendingGate)
        {
            var mine = _pending.GetValueOrDefault(address);
            if (mine >= MaxPendingPerAddress || _pendingTotal >= MaxPending)
            {
                return null;
            }

            _pending[address] = mine + 1;
            _pendingTotal++;
        }

        return new Admission(this, address);
    }

    /// <summary>Open sessions of a device on this node (tests, diagnostics).</summary>
    public int OpenSessions(string device) => _open.Values.Count(o => o.Device == device);

    public async Task RunAsync(WebSocket socket, IDisposable? admission, CancellationToken cancellationToken)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await SendAsync(socket, new CoreMessage.Challenge(nonce), cancellationToken);
        using var helloTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        helloTimeout.CancelAfter(HelloTimeout);
        BoardMessage.Hello? hello;
        try
        {
            hello = (await ReceiveAsync(socket, helloTimeout.Token))?.Message as BoardMessage.Hello;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            hello = null;
        }

        var key = hello is null ? null : await _devices.PublicKeyAsync(hello.DeviceId, cancellationToken);
        if (hello is null || key is null || hello.Nonce != nonce || !CommandSigner.VerifyHello(hello, key))
        {
            _logger.LogWarning("A locker link was refused: {Reason}", hello is null ? "no hello" : key is null ? "unknown device" : "bad nonce or signature");
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseAsync((WebSocketCloseStatus)LinkProtocol.PolicyViolation, "authentication failed", CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            return;
        }

        admission?.Dispose();
        var device = hello.DeviceId;
        var binding = new LinkSession(device, nonce);
        var locker = new LockerId(device);
        var sessionId = Guid.NewGuid();
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _open[sessionId] = (device, session);
        var deviceLock = _deviceLocks.GetOrAdd(device, _ => new SemaphoreSlim(1, 1));
        var sendLock = new SemaphoreSlim(1, 1);
        Task sender = Task.CompletedTask, beating = Task.CompletedTask, reading = Task.CompletedTask;
        var began = false;
        try
        {
            await _beats.BeginAsync(sessionId, device, session.Token);
            began = true;
            await _devices.ReportVersionAsync(device, hello.ProgramVersion, session.Token);
            await SendAsync(socket, _signer.Sign(new CoreMessage.Welcome(await _devices.AckedSeqAsync(device, session.Token)), binding), session.Token);
            await deviceLock.WaitAsync(session.Token);
            try
            {
                _sessions[device] = sessionId;
                await ReportAsync(locker, online: true);
            }
            finally
            {
                deviceLock.Release();
            }

            _logger.LogInformation("Locker {Locker} connected (boot {Boot})", device, hello.BootId);
            sender = SendCommandsAsync(socket, device, sendLock, session.Token);
            beating = BeatAsync(socket, device, key, sessionId, session);
            var frames = Channel.CreateBounded<DeviceFrame>(new BoundedChannelOptions(LinkProtocol.SendWindow) { SingleReader = true, SingleWriter = true });
            reading = ReadFramesAsync(socket, frames.Writer, session.Token);
            await ServeEventsAsync(socket, device, binding, frames.Reader, sendLock, session.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The link dropped (or the session was ended): the board reconnects and resends what was not acknowledged.
        }
        catch (Exception e)
        {
            // A database error or a bug: this session ends, cleanly; the board reconnects and resends what was not
            // acknowledged; other boards' sessions go on.
            _logger.LogError(e, "Locker {Locker} session failed; ending it", device);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseAsync(WebSocketCloseStatus.InternalServerError, "session failed", closing.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            _open.TryRemove(sessionId, out _);
            await session.CancelAsync();
            await sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await beating.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await EndAsync(device, locker, sessionId, deviceLock, began);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", closing.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            // The socket is closed (or aborted): the reader's receive has ended.
            socket.Abort();
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // The reader queues the frames as they arrive; each batch takes every frame waiting (up to MaxBatch), is stored and
    // applied in one transaction, and answered with one cumulative ack. The board keeps sending (its window is larger
    // than a batch) while a batch commits.
    private async Task ServeEventsAsync(
        WebSocket socket, string device, LinkSession binding, ChannelReader<DeviceFrame> frames, SemaphoreSlim sendLock, CancellationToken cancellationToken)
    {
        var locker = new LockerState();
        var batch = new List<DeviceFrame>(MaxBatch);
        while (await frames.WaitToReadAsync(cancellationToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && frames.TryRead(out var frame))
            {
                batch.Add(frame);
            }

            var outcome = await _handler.ApplyAsync(device, batch, locker, cancellationToken);
            if (outcome.Acknowledge)
            {
                await sendLock.WaitAsync(cancellationToken);
                try
                {
                    await SendAsync(socket, _signer.Sign(new CoreMessage.Ack(outcome.AckedSeq), binding), cancellationToken);
                }
                finally
                {
                    sendLock.Release();
                }
            }

            if (outcome.Gap is { } skipped)
            {
                _logger.LogWarning("Locker {Locker} skipped from {Acked} to {Seq}: reconnecting it", device, outcome.AckedSeq, skipped);
                break;
            }
        }
    }

    // Receives without a token (a cancelled receive aborts the socket, and the session may still close it properly with
    // its status); the session ends the receive by closing the socket.
    private static async Task ReadFramesAsync(WebSocket socket, ChannelWriter<DeviceFrame> frames, CancellationToken cancellationToken)
    {
        try
        {
            while (await ReceiveAsync(socket, CancellationToken.None) is { } frame)
            {
                var readable = frame.Message is BoardMessage.Event { Body.Payload: not null } ev ? ev.Body : null;
                await frames.WriteAsync(
                    new DeviceFrame(readable?.Seq ?? EventSeq(frame.Text), readable, frame.Text, frame.Message?.GetType().Name ?? "unreadable"), cancellationToken);
            }

            frames.TryComplete();
        }
        catch (Exception e)
        {
            // The session sees it once it has applied what came before.
            frames.TryComplete(e);
        }
    }

    // Beats while the session lives; ends it when the beat fails (the database is gone: the locker must not look online)
    // or the device's key changed (replaced on another node).
    private async Task BeatAsync(WebSocket socket, string device, byte[] key, Guid sessionId, CancellationTokenSource session)
    {
        try
        {
            while (!session.IsCancellationRequested)
            {
                await Task.Delay(LockerSessions.BeatEvery, session.Token);
                await _beats.BeatAsync(sessionId, session.Token);
                if (await _devices.PublicKeyAsync(device, session.Token) is not { } current || !current.AsSpan().SequenceEqual(key))
                {
                    _logger.LogWarning("Locker {Locker}'s key was replaced: ending its session", device);
                    break;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Locker {Locker} session could not beat; ending it", device);
        }

        if (!session.IsCancellationRequested)
        {
            socket.Abort();
            await session.CancelAsync();
        }
    }

    private async Task EndAsync(string device, LockerId locker, Guid sessionId, SemaphoreSlim deviceLock, bool began)
    {
        try
        {
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

            if (began)
            {
                await _beats.EndAsync(sessionId, CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            // The database is gone: the session's beat stops, so the locker is not shown online anyway.
            _logger.LogError(e, "Locker {Locker} session end not recorded", device);
        }

        _logger.LogInformation("Locker {Locker} disconnected", device);
    }

    private void EndSessionsOf(string device)
    {
        foreach (var (_, (owner, end)) in _open)
        {
            if (owner == device)
            {
                try
                {
                    end.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // Ended meanwhile.
                }
            }
        }
    }

    private void Release(string address)
    {
        lock (_pendingGate)
        {
            _pendingTotal--;
            if (--_pending[address] == 0)
            {
                _pending.Remove(address);
            }
        }
    }

    private sealed class Admission(LockerGateway gateway, string address) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gateway.Release(address);
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
            _logger.LogError(e, "Sending commands to locker {Locker} failed; dropping the link", device);
            socket.Abort();
        }
    }

    private async Task SendPendingCommandsAsync(WebSocket socket, string device, SemaphoreSlim sendLock, CancellationToken cancellationToken)
    {
        long sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = _devices.NextCommand(device);
            foreach (var command in await _devices.PendingAsync(device, sent, cancellationToken))
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

                await _devices.MarkSentAsync(device, command.Command.Seq, cancellationToken);
                sent = command.Command.Seq;
            }

            await Task.WhenAny(next, Task.Delay(_devices.CommandPoll, cancellationToken));
        }
    }

    private async Task ReportAsync(LockerId locker, bool online)
    {
        try
        {
            var now = _streams.Clock.GetUtcNow();
            await _streams.HandleAsync(
                Deciders.Locker, Deciders.Stream(locker), _ => online ? new ReportOnline(now) : new ReportOffline(now), new CommandContext(new Actor(Roles.Locker, locker.Value)), cancellationToken: CancellationToken.None);
        }
        catch (DomainRuleViolation e)
        {
            _logger.LogWarning("Locker {Locker} status not recorded: {Reason}", locker, e.Message);
        }
    }

    private static ArraySegment<byte> Encode(CoreMessage message) => Encoding.UTF8.GetBytes(LinkJson.Serialize(message));

    private static Task SendAsync(WebSocket socket, CoreMessage message, CancellationToken cancellationToken) =>
        socket.SendAsync(Encode(message), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task<Frame?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
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
                var text = Encoding.UTF8.GetString(message.ToArray());
                try
                {
                    return new Frame(text, LinkJson.ReadBoardMessage(text));
                }
                catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
                {
                    return new Frame(text, null);
                }
            }
        }
    }

    // The seq of an event frame the core cannot read ({"type":"event","body":{"seq":…}}), to store it and acknowledge it.
    private static long? EventSeq(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object
                && body.TryGetProperty("seq", out var seq) && seq.TryGetInt64(out var value) && value > 0
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A frame as received, and what it says when the core can read it.</summary>
    private sealed record Frame(string Text, BoardMessage? Message);
}
