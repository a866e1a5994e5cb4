using System.Net.Sockets;
using System.Text;
using Logistics.Lockers.Host.Board;
using Logistics.Testing;

namespace Logistics.Lockers.Host.Tests.Board;

/// <summary>sd_notify over a real unix datagram socket, as systemd listens for it.</summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Socket _systemd = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public SystemdNotifyTests()
    {
        _systemd.Bind(new UnixDomainSocketEndPoint(_dir.File("notify")));
        _systemd.ReceiveTimeout = 5_000;
    }

    [Fact]
    public void ReadyThenAWatchdogPingOnlyWhileHealthy()
    {
        var clock = new ManualTimeProvider();
        var healthy = true;
        using var notify = new SystemdNotify(_dir.File("notify"));

        notify.Send("READY=1");
        notify.StartWatchdog(TimeSpan.FromSeconds(30), () => healthy, clock);
        clock.Advance(TimeSpan.Zero);
        Assert.Equal("READY=1", Receive());
        Assert.Equal("WATCHDOG=1", Receive());
        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("WATCHDOG=1", Receive());

        healthy = false;
        clock.Advance(TimeSpan.FromSeconds(15));
        _systemd.ReceiveTimeout = 200;
        Assert.Throws<SocketException>(Receive);
    }

    [Fact]
    public void WithoutSystemdNothingIsSent()
    {
        using var notify = new SystemdNotify(null);

        notify.Send("READY=1");
        Assert.Equal(0, _systemd.Available);
    }

    public void Dispose()
    {
        _systemd.Dispose();
        _dir.Dispose();
    }

    private string Receive()
    {
        var buffer = new byte[256];
        return Encoding.UTF8.GetString(buffer, 0, _systemd.Receive(buffer));
    }
}
