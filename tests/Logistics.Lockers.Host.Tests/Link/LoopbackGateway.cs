using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Logistics.LockerLink;
using Logistics.Lockers.Host.Link;

namespace Logistics.Lockers.Host.Tests.Link;

/// <summary>
/// A stand-in for the core's gateway on 127.0.0.1 (HttpListener): challenge, hello verified with the device's
/// public key, welcome with what it holds, events stored once by seq, acks as the test wants, commands pushed. The
/// welcome and acks are signed with <c>coreKey</c> for the connection, unless a test forges them (<see cref="Forge"/>).
/// </summary>
internal sealed class LoopbackGateway : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ECDsa _devicePublicKey;
    private readonly ECDsa _coreKey;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly Lock _gate = new();
    private Channel<string> _commands = Channel.CreateUnbounded<string>();
    private WebSocket? _current;
    private Action _cut = () => { };

    public LoopbackGateway(ECDsa devicePublicKey, ECDsa coreKey, int? port = null)
    {
        _devicePublicKey = devicePublicKey;
        _coreKey = coreKey;
        port ??= Testing.Loopback.FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}{LinkProtocol.Path}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    private readonly SortedDictionary<long, DeviceEvent> _stored = [];

    /// <summary>Events stored, once each, by seq (a copy: the gateway's session keeps storing while a test reads).</summary>
    public SortedDictionary<long, DeviceEvent> Stored
    {
        get
        {
            lock (_gate)
            {
                return new SortedDictionary<long, DeviceEvent>(_stored);
            }
        }
    }

    /// <summary>Events the core holds already (from an earlier session).</summary>
    public void Holds(IEnumerable<DeviceEvent> events)
    {
        lock (_gate)
        {
            foreach (var e in events)
            {
                _stored[e.Seq] = e;
            }
        }
    }

    /// <summary>Every event frame received, duplicates included, in arrival order.</summary>
    public List<long> Received { get; } = [];

    public int Hellos { get; private set; }

    public int RefusedHellos { get; private set; }

    /// <summary>The program version each accepted hello reported.</summary>
    public List<string?> HelloVersions { get; } = [];

    /// <summary>Acknowledge after every this-many events (and whenever the link goes quiet).</summary>
    public int AckEvery { get; set; } = 1;

    /// <summary>Crash when this many events arrived in the session: the connection drops and unacknowledged events are lost.</summary>
    public int? CutAfter { get; set; }

    public List<long> AcksSent { get; } = [];

    /// <summary>
    /// Replaces the welcome and acks as sent (after signing them properly for the connection): a test's forgery. The
    /// first session of the gateway is 1.
    /// </summary>
    public Func<CoreMessage, LinkSession, int, CoreMessage>? Forge { get; set; }

    /// <summary>Connections that reached the welcome.</summary>
    public int Sessions { get; private set; }

    public void Push(SignedCommand command) => _commands.Writer.TryWrite(LinkJson.Serialize(new CoreMessage.Command(command)));

    /// <summary>Sends a frame as it is (a test's malformed or unknown frame) in the current session.</summary>
    public void PushRaw(string frame) => _commands.Writer.TryWrite(frame);

    public long HighestStored
    {
        get
        {
            lock (_gate)
            {
                return _stored.Count == 0 ? 0 : _stored.Keys.Max();
            }
        }
    }

    public static async Task WaitUntil(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token).ContinueWith(t => timeout.IsCancellationRequested
                ? throw new TimeoutException("Waited too long for " + what)
                : t, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _current?.Abort();
        _listener.Close();
        await _serving.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                var ws = (await context.AcceptWebSocketAsync(LinkProtocol.SubProtocol)).WebSocket;
                _current = ws;
                _cut = () =>
                {
                    ws.Abort();
                    context.Response.Abort();
                };
                await SessionAsync(ws);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or HttpListenerException)
            {
                // The board went away; it will come back.
            }
        }
    }

    private async Task SessionAsync(WebSocket ws)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await SendAsync(ws, new CoreMessage.Challenge(nonce));
        var hello = (BoardMessage.Hello)LinkJson.ReadBoardMessage(await ReceiveAsync(ws));
        if (hello.Nonce != nonce || !DeviceCredential.Verify(hello, _devicePublicKey))
        {
            RefusedHellos++;
            await ws.CloseAsync((WebSocketCloseStatus)LinkProtocol.PolicyViolation, "bad hello", _stop.Token);
            return;
        }

        Hellos++;
        HelloVersions.Add(hello.ProgramVersion);
        var binding = new LinkSession(hello.DeviceId, nonce);
        _binding = binding;
        var session = ++Sessions;
        _forge = Forge is { } forge ? m => forge(m, binding, session) : m => m;
        await SendAsync(ws, _forge(LinkSignatures.Sign(new CoreMessage.Welcome(HighestStored), binding, _coreKey)));
        _commands = Channel.CreateUnbounded<string>();
        var pushing = PushCommandsAsync(ws, _commands.Reader);
        try
        {
            await EventsAsync(ws);
        }
        finally
        {
            _commands.Writer.TryComplete();
            await pushing.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task EventsAsync(WebSocket ws)
    {
        var inSession = 0;
        var sinceAck = 0;
        while (true)
        {
            var receive = ReceiveAsync(ws);
            if (sinceAck > 0 && await Task.WhenAny(receive, Task.Delay(50)) != receive)
            {
                await AckAsync(ws);
                sinceAck = 0;
            }

            var e = ((BoardMessage.Event)LinkJson.ReadBoardMessage(await receive)).Body;
            lock (_gate)
            {
                Received.Add(e.Seq);
                _stored.TryAdd(e.Seq, e);
            }

            if (++inSession == CutAfter)
            {
                CutAfter = null;
                lock (_gate)
                {
                    // The core went down before committing what it had not acknowledged yet.
                    var acked = AcksSent.Count == 0 ? 0 : AcksSent.Max();
                    foreach (var seq in _stored.Keys.Where(k => k > acked).ToList())
                    {
                        _stored.Remove(seq);
                    }
                }

                _cut();
                return;
            }

            if (++sinceAck >= AckEvery)
            {
                await AckAsync(ws);
                sinceAck = 0;
            }
        }
    }

    private async Task AckAsync(WebSocket ws)
    {
        var upTo = HighestContiguous();
        lock (_gate)
        {
            AcksSent.Add(upTo);
        }

        await SendAsync(ws, _forge(LinkSignatures.Sign(new CoreMessage.Ack(upTo), _binding!, _coreKey)));
    }

    private LinkSession? _binding;
    private Func<CoreMessage, CoreMessage> _forge = m => m;

    private long HighestContiguous()
    {
        lock (_gate)
        {
            var first = _stored.Keys.FirstOrDefault();
            var upTo = first - 1;
            foreach (var seq in _stored.Keys)
            {
                if (seq != upTo + 1)
                {
                    break;
                }

                upTo = seq;
            }

            return upTo;
        }
    }

    private readonly SemaphoreSlim _sending = new(1, 1);

    private async Task PushCommandsAsync(WebSocket ws, ChannelReader<string> frames)
    {
        await foreach (var frame in frames.ReadAllAsync(_stop.Token))
        {
            if (ws.State != WebSocketState.Open)
            {
                return;
            }

            await SendAsync(ws, frame);
        }
    }

    private Task SendAsync(WebSocket ws, CoreMessage message) => SendAsync(ws, LinkJson.Serialize(message));

    private async Task SendAsync(WebSocket ws, string frame)
    {
        await _sending.WaitAsync();
        try
        {
            await ws.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, _stop.Token);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task<string> ReceiveAsync(WebSocket ws)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, _stop.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("closed by the board");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }
}
