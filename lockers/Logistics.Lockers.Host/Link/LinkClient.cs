using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Logistics.LockerLink;

namespace Logistics.Lockers.Host.Link;

/// <summary>
/// The board's WebSocket to the core: challenge → signed hello → welcome, then the journal's backlog and every
/// new event streamed in sequence order (at most a window ahead of the acknowledgements), cumulative acks
/// dropping events from the journal, commands handed to the controller. The welcome and every ack must carry the
/// core's signature over this connection's device and nonce before anything leaves the journal; plain ws is refused
/// except to this machine. Any failure closes the socket and reconnects after a jittered exponential backoff; the
/// journal makes that lossless. A frame the board cannot read is logged and skipped (a newer core may send more).
/// </summary>
public sealed class LinkClient
{
    private const int MaxFrameBytes = 1 << 20;

    private readonly LinkOptions _options;
    private readonly Journal.Journal _journal;
    private readonly DeviceCredential _credential;
    private readonly CommandSignature _core;
    private readonly Func<SignedCommand, DevicePayload.CommandResult> _onCommand;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Action<string> _log;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _acked;

    public LinkClient(
        LinkOptions options,
        Journal.Journal journal,
        DeviceCredential credential,
        CommandSignature core,
        Func<SignedCommand, DevicePayload.CommandResult> onCommand,
        TimeProvider? time = null,
        Random? random = null,
        Action<string>? log = null)
    {
        if (options.Refusal is { } refusal)
        {
            throw new ArgumentException($"The link cannot start: {refusal}.", nameof(options));
        }

        _options = options;
        _journal = journal;
        _credential = credential;
        _core = core;
        _onCommand = onCommand;
        _time = time ?? TimeProvider.System;
        _random = random ?? new Random();
        _log = log ?? (_ => { });
        _journal.Appended += Wake;
    }

    public LinkState State { get; private set; } = LinkState.Offline;

    public event Action<LinkState>? StateChanged;

    /// <summary>How many connections were established (for diagnostics and tests).</summary>
    public int Sessions { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                SetState(LinkState.Connecting);
                await ServeAsync(() => attempt = 0, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The link must outlive any one failure (socket, protocol, journal): log, back off, retry.
                _log($"link down: {e.GetType().Name}: {e.Message}");
            }

            SetState(LinkState.Offline);
            var delay = _options.Backoff(attempt++, _random);
            try
            {
                await Task.Delay(delay, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        SetState(LinkState.Offline);
    }

    private async Task ServeAsync(Action connected, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(LinkProtocol.SubProtocol);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        LinkSession binding;
        try
        {
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                handshake.CancelAfter(_options.HandshakeTimeout);
                await socket.ConnectAsync(_options.Endpoint, _options.Connector, handshake.Token);
                if (LinkJson.ReadCoreMessage(await ReceiveAsync(socket, handshake.Token)) is not CoreMessage.Challenge challenge)
                {
                    throw new InvalidOperationException("The core did not open with a challenge.");
                }

                var hello = _credential.Hello(_journal.Clock.BootId, challenge.Nonce, _journal.LastSeq);
                binding = new LinkSession(_credential.DeviceId, challenge.Nonce);
                await SendAsync(socket, LinkJson.Serialize(hello), handshake.Token);
                if (LinkJson.ReadCoreMessage(await ReceiveAsync(socket, handshake.Token)) is not CoreMessage.Welcome welcome)
                {
                    throw new InvalidOperationException("The core did not welcome the hello.");
                }

                if (!_core.IsValid(welcome, binding))
                {
                    throw new InvalidOperationException("The welcome does not carry the core's signature for this connection.");
                }

                Welcome(welcome.AckedSeq);
            }

            Sessions++;
            connected();
            SetState(LinkState.Online);
            _log($"link up, core holds up to seq {_acked}");
            var sender = SendLoopAsync(socket, session.Token);
            var receiver = ReceiveLoopAsync(socket, binding, session.Token);
            var first = await Task.WhenAny(sender, receiver);
            await session.CancelAsync();
            await Task.WhenAll(sender, receiver).ContinueWith(_ => { }, TaskScheduler.Default);
            await first;
        }
        finally
        {
            if (socket.State == WebSocketState.Open)
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", closing.Token);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException)
                {
                    // The socket is going away either way.
                }
            }
        }
    }

    private void Welcome(long coreSeq)
    {
        if (coreSeq > _journal.LastSeq)
        {
            _log($"the core holds seq {coreSeq} beyond our journal ({_journal.LastSeq}): continuing after it");
            _journal.Write(w => w.ResumeAfter(coreSeq));
        }
        else
        {
            _journal.Acknowledge(coreSeq);
        }

        Interlocked.Exchange(ref _acked, Math.Max(coreSeq, _journal.AckedSeq));
    }

    private async Task SendLoopAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var next = Interlocked.Read(ref _acked) + 1;
        while (!cancellationToken.IsCancellationRequested)
        {
            var room = _options.SendWindow - (int)(next - 1 - Interlocked.Read(ref _acked));
            var batch = room > 0 ? _journal.ReadFrom(next, Math.Min(room, 256)) : [];
            if (batch.Count == 0)
            {
                await _wake.Reader.ReadAsync(cancellationToken);
                continue;
            }

            foreach (var e in batch)
            {
                await SendAsync(socket, LinkJson.Serialize(new BoardMessage.Event(e)), cancellationToken);
                next = e.Seq + 1;
            }
        }
    }

    private async Task ReceiveLoopAsync(WebSocket socket, LinkSession binding, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var frame = await ReceiveAsync(socket, cancellationToken);
            CoreMessage? message;
            try
            {
                message = LinkJson.ReadCoreMessage(frame);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                _log($"skipped a frame from the core that this board cannot read: {e.Message}");
                continue;
            }

            switch (message)
            {
                case CoreMessage.Ack ack:
                    if (!_core.IsValid(ack, binding))
                    {
                        // Not from the core (or not for this connection): nothing leaves the journal; reconnect.
                        throw new InvalidOperationException($"An ack up to {ack.UpToSeq} without the core's signature for this connection.");
                    }

                    _journal.Acknowledge(ack.UpToSeq);
                    InterlockedMax(ref _acked, ack.UpToSeq);
                    Wake();
                    break;
                case CoreMessage.Command { Signed.Command.Body: not null } command:
                    // The result is journalled as an event, which the send loop then delivers.
                    _onCommand(command.Signed);
                    break;
                default:
                    _log($"skipped an unexpected {message?.GetType().Name ?? "empty"} frame from the core");
                    break;
            }
        }
    }

    private static async Task SendAsync(WebSocket socket, string json, CancellationToken cancellationToken) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private static async Task<string> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"The core closed the link: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            message.Write(buffer, 0, result.Count);
            if (message.Length > MaxFrameBytes)
            {
                throw new InvalidOperationException("Frame too large.");
            }

            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private void SetState(LinkState state)
    {
        if (State != state)
        {
            State = state;
            StateChanged?.Invoke(state);
        }
    }
}
