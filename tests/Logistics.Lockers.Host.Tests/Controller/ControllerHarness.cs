using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Doors;
using Logistics.Lockers.Host.Controller;
using Logistics.Lockers.Host.Journal;
using Logistics.Lockers.Host.Link;
using Logistics.Testing;

namespace Logistics.Lockers.Host.Tests.Controller;

/// <summary>A locker controller over a real journal in a temp folder, recording coils and a manual clock.</summary>
internal sealed class ControllerHarness : IDisposable
{
    public const string DeviceId = "locker-7";

    public static readonly DoorOptions Options = new() { Debounce = TimeSpan.Zero, OpenTimeout = TimeSpan.FromSeconds(4) };

    private long _seq;

    public ControllerHarness(TempDirectory dir, ManualTimeProvider clock, ECDsa coreKey, int compartments = 4)
    {
        Clock = clock;
        CoreKey = coreKey;
        Coils = new RecordingCoils();
        Journal = Host.Journal.Journal.Open(dir.File("journal.db"), DeviceId, new BoardClock(clock, Guid.NewGuid(), () => true));
        _seq = Journal.LastCommandSeq;
        Controller = new LockerController(
            Journal,
            Enumerable.Range(1, compartments).Select(i => new DoorConfig(new CompartmentId(i))),
            Coils,
            Options,
            new CommandSignature(coreKey));
        Coils.Journal = Journal;
    }

    public ManualTimeProvider Clock { get; }

    public ECDsa CoreKey { get; }

    public RecordingCoils Coils { get; }

    public Host.Journal.Journal Journal { get; }

    public LockerController Controller { get; }

    public ControllerHarness Started()
    {
        Controller.Start(_ => false);
        return this;
    }

    public SignedCommand Signed(CommandBody body, TimeSpan? validFor = null, long? seq = null)
    {
        var s = seq ?? ++_seq;
        return CommandSignature.Sign(new DeviceCommand($"cmd-{s}", DeviceId, s, Clock.GetUtcNow() + (validFor ?? TimeSpan.FromMinutes(10)), body), CoreKey);
    }

    public DevicePayload.CommandResult Send(CommandBody body) => Controller.Handle(Signed(body));

    public IReadOnlyList<DevicePayload> Payloads() => [.. Journal.ReadFrom(1, 10_000).Select(e => e.Payload)];

    public void Door(int compartment, bool open) => Controller.Doors.OnDoorSensor(new CompartmentId(compartment), open);

    public void Dispose()
    {
        Controller.Dispose();
        Journal.Dispose();
    }

    /// <summary>Records switch-ons, and whether the unlock intent was already durable at that moment.</summary>
    internal sealed class RecordingCoils : ICoilOutput
    {
        public Host.Journal.Journal? Journal { get; set; }

        public List<int> SwitchedOn { get; } = [];

        public List<bool> IntentDurableAtSwitchOn { get; } = [];

        public void SetCoil(CompartmentId compartment, bool energised)
        {
            if (energised)
            {
                SwitchedOn.Add(compartment.Value);
                IntentDurableAtSwitchOn.Add(Journal!.UnfinishedIntents().Any(i => i.Compartment == compartment.Value));
            }
        }
    }
}
