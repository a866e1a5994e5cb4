extern alias LockerHost;
using System.Diagnostics;
using LockerHost::Logistics.Lockers.Host.Board;
using LockerHost::Logistics.Lockers.Host.Configuration;
using Logistics.LockerLink;

namespace Logistics.Perf.LockerBoard;

/// <summary>
/// A board back after a long outage: <c>events</c> journalled while offline (door cycles: pulse, opened, closed,
/// across its compartments), then the link comes up and the real core — API, gateway, event store on a private
/// durable PostgreSQL — stores, applies and acknowledges them. Timed from the link's start to the last ack.
/// </summary>
internal static class BacklogDrain
{
    public static async Task<TimeSpan> MeasureAsync(string folder, int events, TextWriter progress)
    {
        await using var core = await PerfCore.StartAsync(Path.Combine(folder, "core"));

        // The locker is registered with its board's key, as an operator would do it.
        var probe = LockerConfig.SimulatedDemo("unused", 6, Path.Combine(folder, "board"), core.Url);
        var devicePem = LockerApp.PrepareKeys(probe, core.CorePublicKeyPem);
        var lockerId = await core.RegisterLockerAsync("Consigne perf", devicePem, 6);
        var config = probe with { DeviceId = lockerId };

        using var board = LockerApp.Start(config, simulated: true, TimeProvider.System, _ => { });
        var fill = Stopwatch.StartNew();
        for (var i = 0; board.Journal.LastSeq < events; i++)
        {
            var payload = DoorCycle(i);
            board.Journal.Write(w => w.Append(payload));
        }

        await progress.WriteLineAsync($"journalled {board.Journal.LastSeq} events offline in {fill.Elapsed.TotalSeconds:F1} s; connecting");
        using var stop = new CancellationTokenSource();
        var drain = Stopwatch.StartNew();
        var link = board.Link!.RunAsync(stop.Token);
        var lastReport = TimeSpan.Zero;
        while (board.Journal.AckedSeq < board.Journal.LastSeq)
        {
            await Task.Delay(10);
            if (drain.Elapsed - lastReport > TimeSpan.FromSeconds(5))
            {
                lastReport = drain.Elapsed;
                await progress.WriteLineAsync($"  {drain.Elapsed.TotalSeconds:F0} s: core holds {board.Journal.AckedSeq}");
            }

            if (link.IsCompleted)
            {
                throw new InvalidOperationException("The link stopped.");
            }
        }

        var elapsed = drain.Elapsed;
        await stop.CancelAsync();
        await link;
        return elapsed;
    }

    /// <summary>
    /// The i-th event of a board's door cycles over 6 compartments: a pulse (kept as a device event), the door opened
    /// and closed (each applied to the locker's stream). No cause names a command or parcel the core never queued: such
    /// events would be refused by the board's scope and applied to nothing.
    /// </summary>
    public static DevicePayload DoorCycle(int i)
    {
        var compartment = (i / 3 % 6) + 1;
        return (i % 3) switch
        {
            0 => new DevicePayload.PulseSent(compartment, 1, 40, null),
            1 => new DevicePayload.DoorOpened(compartment, true, null),
            _ => new DevicePayload.DoorClosed(compartment, 2000),
        };
    }
}
