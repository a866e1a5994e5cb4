extern alias LockerHost;
using System.Globalization;
using System.Security.Cryptography;
using LockerHost::Logistics.Lockers.Host.Board;
using LockerHost::Logistics.Lockers.Host.Configuration;
using LockerHost::Logistics.Lockers.Host.Link;
using Logistics.LockerLink;
using Logistics.Lockers.Codes;
using Logistics.Lockers.Doors;

namespace Logistics.Perf.LockerBoard;

/// <summary>
/// Code typed → relay written, through the board's real path: a <see cref="LockerApp"/> on the simulated board,
/// SQLite journal (WAL, synchronous=FULL), codes provisioned by a signed command. The time from the call to
/// <c>EnterCode</c> until the simulated board's output log shows the door's relay line high: the check, the journal
/// commit of the collection and unlock intent (an fsync), the rail arbiter and the GPIO write.
/// </summary>
internal static class CodeToRelay
{
    private const int Doors = 24;

    public static IReadOnlyList<double> Measure(string folder, int codes)
    {
        var config = LockerConfig.SimulatedDemo("perf-locker", Doors, folder, coreUrl: null);
        using var coreKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        LockerApp.PrepareKeys(config, coreKey.ExportSubjectPublicKeyInfoPem());
        using var app = LockerApp.Start(config, simulated: true, TimeProvider.System, _ => { });
        var board = app.Hardware.Simulated!;

        // Consecutive codes go to doors on different supply rails (two doors a rail), so no code waits for another's pulse.
        int[] order = [.. Enumerable.Range(0, Doors / 2).Select(i => (2 * i) + 1), .. Enumerable.Range(0, Doors / 2).Select(i => (2 * i) + 2)];
        var codeKey = RandomNumberGenerator.GetBytes(32);
        var typed = Enumerable.Range(0, codes).Select(i => (Code: string.Create(CultureInfo.InvariantCulture, $"{100000 + i}"), Door: order[i % Doors])).ToList();
        var expires = DateTimeOffset.UtcNow.AddDays(1);
        Send(app, coreKey, 1, new CommandBody.SetCodeKey(codeKey));
        Send(app, coreKey, 2, new CommandBody.ProvisionCodes([.. typed.Select((t, i) => new CodeVerifier($"parcel-{i}", t.Door, PickupCodeHash.Compute(codeKey, t.Code), expires))]));

        var started = new List<(DateTimeOffset At, int Pin)>();
        foreach (var (code, door) in typed)
        {
            var compartment = new CompartmentId(door);
            var simulated = board.Doors[door - 1];
            if (app.Controller.Doors.Status(compartment).Phase != DoorPhase.Closed || simulated.IsOpen)
            {
                simulated.PersonCloses();
                SpinWait.SpinUntil(() => app.Controller.Doors.Status(compartment).Phase == DoorPhase.Closed, TimeSpan.FromSeconds(5));
            }

            var at = DateTimeOffset.UtcNow;
            if (app.Controller.EnterCode(code) is not CodeCheck.Accepted)
            {
                throw new InvalidOperationException($"code {code} was refused");
            }

            started.Add((at, simulated.RelayPin));
            // A person needs a moment between two codes; it also lets the previous door pop open.
            Thread.Sleep(5);
        }

        // The last pulses end once their doors pop open; then the output log is still.
        Thread.Sleep(300);
        var log = board.OutputLog.ToList();
        return [.. started.Select(s => (log.First(o => o.Pin == s.Pin && o.Level && o.At >= s.At).At - s.At).TotalMilliseconds)];
    }

    private static void Send(LockerApp app, ECDsa coreKey, long seq, CommandBody body)
    {
        var result = app.Controller.Handle(CommandSignature.Sign(new DeviceCommand($"perf-{seq}", app.Config.DeviceId, seq, DateTimeOffset.UtcNow.AddHours(1), body), coreKey));
        if (result.Status != CommandStatus.Executed)
        {
            throw new InvalidOperationException($"command {seq}: {result.Status} {result.Detail}");
        }
    }
}
