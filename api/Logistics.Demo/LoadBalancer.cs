using System.Diagnostics;
using System.Net.Sockets;

namespace Logistics.Demo;

/// <summary>
/// Debian's HAProxy in front of API nodes, as a federation runs it: HTTP mode (a board's WebSocket passes through as
/// a tunnel), each node checked on <c>/health</c> every 500 ms and taken out after two failures, requests retried on
/// another node when one cannot be reached. Either every node serves (round robin), or the first serves and the
/// others are its backups (so a test knows which node holds the boards' sockets).
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    private readonly Process _process;

    private LoadBalancer(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Whether HAProxy is installed (Debian package <c>haproxy</c>).</summary>
    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin")
            .Select(dir => Path.Combine(dir, "haproxy")).FirstOrDefault(File.Exists);

    public static async Task<LoadBalancer> StartAsync(string directory, int port, IReadOnlyList<Uri> nodes, bool backups = false, CancellationToken cancellationToken = default)
    {
        var haproxy = Executable() ?? throw new InvalidOperationException("HAProxy is not installed (apt-get install haproxy).");
        Directory.CreateDirectory(directory);
        var servers = string.Join('\n', nodes.Select((n, i) =>
            $"  server node{i + 1} {n.Host}:{n.Port} check inter 500ms fall 2 rise 2{(backups && i > 0 ? " backup" : "")}"));
        var config = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(config, $"""
            global
              maxconn 1024
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
              balance roundrobin
              option httpchk GET /health
              http-check expect status 200
            {servers}

            """, cancellationToken);
        var start = new ProcessStartInfo(haproxy) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-db", "-f", config })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start HAProxy.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var attempt = 0; ; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"HAProxy exited with {process.ExitCode} (its configuration is in {config}).");
            }

            using var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
                break;
            }
            catch (SocketException) when (attempt < 100)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        return new LoadBalancer(process, new Uri($"http://127.0.0.1:{port}/"));
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
    }
}
