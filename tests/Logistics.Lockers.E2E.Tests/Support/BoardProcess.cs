using System.Collections.Concurrent;
using System.Diagnostics;

namespace Logistics.Lockers.E2E.Tests.Support;

/// <summary>
/// The board program as a child process: <c>dotnet Logistics.Lockers.Host.dll --simulated --headless --web
/// http://127.0.0.1:0 --config FILE</c>, killed with SIGKILL (<see cref="KillAsync"/>) like a power cut.
/// </summary>
public sealed class BoardProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _web = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BoardProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("web: ", StringComparison.Ordinal))
            {
                _web.TrySetResult(new Uri(line["web: ".Length..].TrimEnd('/') + "/"));
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                Errors.Enqueue(line);
            }
        };
        _process.Exited += (_, _) => _web.TrySetException(new InvalidOperationException("The board exited: " + string.Join('\n', Errors)));
        _process.EnableRaisingEvents = true;
    }

    /// <summary>The board's stderr (its log), for diagnostics.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>The board's web page once it listens.</summary>
    public Task<Uri> Web => _web.Task;

    public bool HasExited => _process.HasExited;

    public static BoardProcess Start(string configPath)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { HostDll(), "--simulated", "--headless", "--web", "http://127.0.0.1:0", "--config", configPath })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the board.");
        ChildProcesses.Track(process);
        var board = new BoardProcess(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return board;
    }

    /// <summary>SIGKILL: no finally block, no flush, no closing handshake.</summary>
    public Task KillAsync() => ChildProcesses.KillAsync(_process);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        ChildProcesses.Forget(_process);
        _process.Dispose();
    }

    /// <summary>
    /// The board program built next to this test assembly (the project reference copies it with its runtimeconfig),
    /// else in the Host project's own output for the same configuration.
    /// </summary>
    private static string HostDll()
    {
        const string name = "Logistics.Lockers.Host.dll";
        var local = Path.Combine(AppContext.BaseDirectory, name);
        if (File.Exists(local) && File.Exists(Path.ChangeExtension(local, ".runtimeconfig.json")))
        {
            return local;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "lockers", "Logistics.Lockers.Host", "bin", configuration, "net10.0", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("The board program is not built.", local);
    }
}
