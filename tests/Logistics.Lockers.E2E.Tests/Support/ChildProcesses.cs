using System.Collections.Concurrent;
using System.Diagnostics;

namespace Logistics.Lockers.E2E.Tests.Support;

/// <summary>
/// The programs a test started as processes of their own (boards, API nodes): any still running when the test process
/// ends (a test aborted mid-way) is killed, never left behind on a journal or a port.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static ChildProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Values)
        {
            try
            {
                process.Kill();
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // Already gone.
            }
        }
    };

    public static void Track(Process process) => Running[process.Id] = process;

    public static void Forget(Process process) => Running.TryRemove(process.Id, out _);

    /// <summary>SIGKILL (no finally block, no flush, no goodbye), then waits for the process to be gone.</summary>
    public static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // It already died on its own; the test sees that through its checks.
        }

        await process.WaitForExitAsync();
        Running.TryRemove(process.Id, out _);
    }
}
