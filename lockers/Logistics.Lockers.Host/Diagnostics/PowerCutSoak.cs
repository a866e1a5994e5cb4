using System.Globalization;
using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Doors;
using Logistics.Lockers.Host.Controller;
using Logistics.Lockers.Host.Journal;
using Logistics.Lockers.Host.Link;

namespace Logistics.Lockers.Host.Diagnostics;

/// <summary>
/// <c>soak &lt;journal.db&gt; &lt;pulses.log&gt;</c>: deposits on a loop against the real journal and controller, with
/// doors that open as soon as they are pulsed. Killing it at random (<c>kill -9</c>, or the board's power
/// switch) and restarting it must lose and double nothing: the crash tests do exactly that, and on a real
/// board it checks that the SD card honours fsync. Every coil switch-on is logged to pulses.log first.
/// </summary>
internal static class PowerCutSoak
{
    public const string DeviceId = "soak-locker";

    public static int Run(string journalPath, string pulsesPath, int? iterations = null)
    {
        using var coreKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var journal = Journal.Journal.Open(journalPath, DeviceId, new BoardClock(TimeProvider.System, Guid.NewGuid(), () => false));
        using var pulses = new StreamWriter(new FileStream(pulsesPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var coils = new SelfOpeningDoors(pulses);
        using var controller = new LockerController(
            journal,
            [new DoorConfig(new CompartmentId(1)), new DoorConfig(new CompartmentId(2))],
            coils,
            new DoorOptions { Debounce = TimeSpan.Zero },
            new CommandSignature(coreKey));
        coils.Controller = controller;
        controller.Start(_ => false);

        var seq = journal.LastCommandSeq;
        if (seq > 0)
        {
            // The core did not see the result before the cut, so it repeats the last command: it must not run twice.
            Send(controller, coreKey, seq);
        }

        for (var i = 0; iterations is null || i < iterations; i++)
        {
            var result = Send(controller, coreKey, ++seq);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {seq} {result.Status} last {journal.LastSeq}"));
            Console.Out.Flush();
        }

        return 0;
    }

    private static DevicePayload.CommandResult Send(LockerController controller, ECDsa coreKey, long seq)
    {
        var command = new DeviceCommand(
            CommandId(seq), DeviceId, seq, DateTimeOffset.UtcNow.AddHours(1), new CommandBody.OpenForDeposit((int)(seq % 2) + 1, $"parcel-{seq}"));
        return controller.Handle(CommandSignature.Sign(command, coreKey));
    }

    public static string CommandId(long seq) => string.Create(CultureInfo.InvariantCulture, $"cmd-{seq}");

    private sealed class SelfOpeningDoors(StreamWriter pulses) : ICoilOutput
    {
        public LockerController? Controller { get; set; }

        public void SetCoil(CompartmentId compartment, bool energised)
        {
            if (!energised || Controller is null)
            {
                return;
            }

            var intent = Controller.Journal.UnfinishedIntents().Single(i => i.Compartment == compartment.Value);
            pulses.WriteLine(intent.Cause.CommandId);
            Controller.Doors.OnDoorSensor(compartment, true);
            Controller.Doors.OnDoorSensor(compartment, false);
        }
    }
}
