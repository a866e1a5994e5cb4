using System.Diagnostics;
using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Link;

namespace Logistics.Lockers.Host.Diagnostics;

/// <summary>
/// <c>self-test</c>: the whole board program on this machine, without hardware: a simulated board with a matrix
/// keypad and a display, the SQLite journal, keys, the link to a <see cref="LoopbackCore"/> on 127.0.0.1, codes
/// provisioned by signed commands, a code typed on the keypad's matrix (dotnet/iot's KeyMatrix scanning it), the
/// door's relay pulsed, the collection acknowledged by the core, the display answering. Prints each step; exit 0
/// when all passed. CI runs the arm64 build of it under qemu-aarch64 (.ci/board-arm64).
/// </summary>
internal static class SelfTest
{
    private const string Code = "2468";

    public static async Task<int> RunAsync(TimeSpan stepTimeout)
    {
        var clock = Stopwatch.StartNew();
        var folder = Directory.CreateTempSubdirectory("locker-self-test-");
        using var stop = new CancellationTokenSource();
        try
        {
            Console.WriteLine($"self-test: board program {BoardVersion.Current} on {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}");
            await using var core = await LoopbackCore.StartAsync();
            var config = LockerConfig.SimulatedDemo("self-test", 4, folder.FullName, core.Url) with
            {
                Language = "en",
                Keypad = new KeypadConfig { Rows = ["board:20", "board:21", "board:22", "board:23"], Columns = ["board:24", "board:25", "board:26", "board:27"], ScanMs = 5 },
            };
            core.Register(LockerApp.PrepareKeys(config, core.CommandPublicKeyPem));
            using var app = LockerApp.Start(config, simulated: true, TimeProvider.System, message => Console.WriteLine($"  board: {message}"));
            var link = app.Link!.RunAsync(stop.Token);
            var board = app.Hardware.Simulated!;
            var keypad = app.Peripherals.SimulatedKeypad ?? throw new InvalidOperationException("the keypad did not start");
            var display = app.Peripherals.SimulatedDisplay ?? throw new InvalidOperationException("the display did not start");

            await Step("link: hello signed, welcomed by the core", () => app.Link.State == LinkState.Online, stepTimeout, clock);
            var codeKey = RandomNumberGenerator.GetBytes(32);
            core.Send(config.DeviceId, new CommandBody.SetCodeKey(codeKey));
            core.Send(config.DeviceId, new CommandBody.ProvisionCodes([new CodeVerifier("parcel-self-test", 2, PickupCodeHash.Compute(codeKey, Code), DateTimeOffset.UtcNow.AddHours(1))]));
            await Step("commands: code key and pickup code provisioned, signatures checked", () => app.Journal.Codes().Count == 1, stepTimeout, clock);

            foreach (var key in Code)
            {
                keypad.Hold(key);
                await Step($"keypad: '{key}' read from the matrix", () => app.Panel.Lines[^1].Replace(" ", "", StringComparison.Ordinal).EndsWith(key), stepTimeout, clock);
                keypad.Release(key);
            }

            keypad.Hold('#');
            await Step("relay: door 2 pulsed for the code", () => board.Doors[1].Pulses == 1, stepTimeout, clock);
            keypad.Release('#');
            await Step("door: opened, no other relay moved", () => board.Doors[1].IsOpen && board.Doors.Where((_, i) => i != 1).All(d => d.Pulses == 0), stepTimeout, clock);
            await Step("journal → link → core: collection stored and acknowledged", () => core.Stored.Values.Any(e => e.Payload is DevicePayload.CodeAccepted { ParcelId: "parcel-self-test", Compartment: 2 }) && app.Journal.AckedSeq >= app.Journal.LastSeq, stepTimeout, clock);
            await Step("display: says the door is open", () => display.Lines[0].StartsWith("Door 2 is open", StringComparison.Ordinal), stepTimeout, clock);
            Console.WriteLine($"  core saw version {core.HelloVersion}");

            await stop.CancelAsync();
            await link;
            Console.WriteLine($"self-test passed in {clock.Elapsed.TotalSeconds:F1} s");
            return 0;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            Console.WriteLine($"self-test FAILED after {clock.Elapsed.TotalSeconds:F1} s: {e.Message}");
            return 1;
        }
        finally
        {
            await stop.CancelAsync();
            folder.Delete(recursive: true);
        }
    }

    private static async Task Step(string what, Func<bool> done, TimeSpan timeout, Stopwatch clock)
    {
        var deadline = clock.Elapsed + timeout;
        while (!done())
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:F0} s");
            }

            await Task.Delay(10);
        }

        Console.WriteLine($"  ok {clock.Elapsed.TotalSeconds,6:F1} s  {what}");
    }
}
