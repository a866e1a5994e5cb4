using System.Net;
using System.Net.Sockets;

namespace Logistics.Testing;

public static class Loopback
{
    /// <summary>A loopback port free right now, for a server that must be told its address before it starts.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
