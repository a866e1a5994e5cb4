using System.Net.Sockets;
using System.Text;

namespace Logistics.Lockers.Host.Board;

/// <summary>
/// sd_notify(3) for a <c>Type=notify</c> unit with <c>WatchdogSec=</c>: <c>READY=1</c> once the board runs, then
/// <c>WATCHDOG=1</c> every half watchdog period while a health check passes (the door controller answers, the
/// journal reads). A stuck board stops pinging and systemd kills and restarts it. Without <c>NOTIFY_SOCKET</c>
/// (not under systemd) it does nothing.
/// </summary>
public sealed class SystemdNotify : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private ITimer? _watchdog;

    public SystemdNotify(string? socketPath)
    {
        if (string.IsNullOrEmpty(socketPath))
        {
            return;
        }

        // An abstract socket is written with a leading '@' in the variable and a leading NUL on the wire.
        _endpoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public static SystemdNotify FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <summary>The watchdog period systemd asked for (<c>WATCHDOG_USEC</c>), if any.</summary>
    public static TimeSpan? WatchdogPeriod() =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), System.Globalization.CultureInfo.InvariantCulture, out var usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec)
            : null;

    public void Send(string state)
    {
        if (_socket is not null)
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _endpoint!);
        }
    }

    /// <summary>Pings every half <paramref name="period"/> while <paramref name="healthy"/> answers true within a quarter of it.</summary>
    public void StartWatchdog(TimeSpan period, Func<bool> healthy, TimeProvider time)
    {
        var every = period / 2;
        _watchdog = time.CreateTimer(
            _ =>
            {
                var check = Task.Run(healthy);
                if (check.Wait(period / 4) && check.Result)
                {
                    Send("WATCHDOG=1");
                }
            },
            null,
            TimeSpan.Zero,
            every);
    }

    public void Dispose()
    {
        _watchdog?.Dispose();
        _socket?.Dispose();
    }
}
