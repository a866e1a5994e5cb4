using System.Net;
using System.Net.Sockets;

namespace Logistics.Lockers.E2E.Tests.Support;

/// <summary>
/// A loopback TCP relay between a board and the core that a test can cut like a cable: <see cref="Cut"/> resets
/// every connection at once (no WebSocket close handshake), and while <see cref="Down"/> new connections are
/// dropped as soon as they arrive, so the board stays offline until the test restores the link.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;

    public TcpProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    public bool Down { get; set; }

    /// <summary>Resets every open connection and keeps the link down until <see cref="Down"/> is set false.</summary>
    public void Cut()
    {
        Down = true;
        lock (_gate)
        {
            foreach (var socket in _open)
            {
                try
                {
                    // Linger 0: the close sends a reset, as a cut cable looks to the far end.
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                }
                catch (ObjectDisposedException)
                {
                    // A pump closed it already when its other half went away.
                }
            }

            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var board = await _listener.AcceptSocketAsync(_stop.Token);
            if (Down)
            {
                board.LingerState = new LingerOption(true, 0);
                board.Close();
                continue;
            }

            var core = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await core.ConnectAsync(_target, _stop.Token);
            }
            catch (SocketException)
            {
                board.Close();
                core.Dispose();
                continue;
            }

            lock (_gate)
            {
                _open.Add(board);
                _open.Add(core);
            }

            _ = PumpAsync(board, core);
            _ = PumpAsync(core, board);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The cable was cut (or the test is over): the other side learns it from its own socket.
            from.Close();
            to.Close();
        }
    }
}
