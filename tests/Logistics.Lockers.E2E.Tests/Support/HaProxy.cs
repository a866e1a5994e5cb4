using System.Diagnostics;
using System.Net.Sockets;
using Logistics.Testing;

namespace Logistics.Lockers.E2E.Tests.Support;

/// <summary>
/// Debian's HAProxy in front of API nodes on loopback, as a federation runs it: HTTP mode (WebSockets pass through as
/// tunnels), each node checked on <c>/health</c> every 500 ms and taken out after two failures; the first node serves
/// while it is up, the others are its backups (so a test knows where the boards' sockets are).
/// </summary>
public sealed class HaProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _dir;

    private HaProxy(Process process, TempDirectory dir, Uri url)
    {
        _process = process;
        _dir = dir;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<HaProxy> StartAsync(params Uri[] nodes)
    {
        var dir = new TempDirectory("haproxy");
        var port = Loopback.FreePort();
        var servers = string.Join('\n', nodes.Select((n, i) =>
            $"  server node{i} 127.0.0.1:{n.Port} check inter 500ms fall 2 rise 2{(i > 0 ? " backup" : "")}"));
        var config = dir.File("haproxy.cfg");
        await File.WriteAllTextAsync(config, $"""
            global
              maxconn 512
            defaults
              mode http
              option redispatch
              retries 3
              timeout connect 2s
              timeout client 60s
              timeout server 60s
              timeout tunnel 1h
            frontend api
              bind 127.0.0.1:{port}
              option forwardfor
              default_backend nodes
            backend nodes
              option httpchk GET /health
              http-check expect status 200
            {servers}

            """);
        var start = new ProcessStartInfo("haproxy") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-db", "-f", config })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start haproxy (Debian package haproxy).");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Wait.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"haproxy exited with {process.ExitCode}");
                }

                using var tcp = new TcpClient();
                try
                {
                    await tcp.ConnectAsync("127.0.0.1", port);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            },
            "haproxy to listen");
        return new HaProxy(process, dir, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _dir.Dispose();
    }
}
