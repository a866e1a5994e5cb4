using System.Collections.Concurrent;
using System.Diagnostics;
using Logistics.Testing;

namespace Logistics.Lockers.E2E.Tests.Support;

/// <summary>
/// An API node as its own process (<c>dotnet Logistics.Api.dll</c>, configured by its environment as in production)
/// on a loopback port, over a database another node already serves; killed with SIGKILL like a machine lost.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public Uri Url { get; }

    /// <summary>The node's log (stdout and stderr), for diagnostics.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>Starts the node and waits until its /health answers 200.</summary>
    public static async Task<NodeProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var url = new Uri($"http://127.0.0.1:{Loopback.FreePort()}/");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Logistics.Api.dll"));
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["LOGISTICS_URLS"] = url.ToString().TrimEnd('/');
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the API node.");
        ChildProcesses.Track(process);
        var node = new NodeProcess(process, url);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        await Wait.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException("The API node exited: " + string.Join('\n', node.Log));
                }

                try
                {
                    return (await client.GetAsync("health")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            "the API node to answer /health",
            seconds: 120);
        return node;
    }

    /// <summary>SIGKILL: no graceful stop, sockets reset, its database sessions (and the leases they hold) end.</summary>
    public Task KillAsync() => ChildProcesses.KillAsync(_process);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null && Log.Count < 5000)
        {
            Log.Enqueue(line);
        }
    }
}
