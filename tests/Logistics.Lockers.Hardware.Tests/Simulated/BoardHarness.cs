using System.Device.Gpio;
using Logistics.Lockers.Doors;
using Logistics.Lockers.Hardware.Doors;
using Logistics.Lockers.Hardware.Simulated;
using Logistics.Testing;

namespace Logistics.Lockers.Hardware.Tests.Simulated;

/// <summary>A door controller driving a simulated board through the GPIO door bank; compartment n uses relay 2n, sensor 2n+1, latch 40+n.</summary>
internal sealed class BoardHarness : IDisposable
{
    public static readonly DoorOptions Options = new()
    {
        PulseLength = TimeSpan.FromMilliseconds(300),
        MaxOnTime = TimeSpan.FromSeconds(1),
        OpenTimeout = TimeSpan.FromSeconds(4),
        LeftOpenAfter = TimeSpan.FromSeconds(60),
        Debounce = TimeSpan.FromMilliseconds(50),
    };

    public BoardHarness(int doors = 2, bool latchFeedback = false, bool sameRail = true, Action<SimulatedBoard>? wire = null)
    {
        Board = new SimulatedBoard(Clock);
        for (var i = 1; i <= doors; i++)
        {
            Board.AddDoor(2 * i, 2 * i + 1, latchFeedback ? 40 + i : null);
        }

        wire?.Invoke(Board);
        Gpio = new GpioController(Board);
        Bank = new GpioDoorBank(Enumerable.Range(1, doors).Select(i => new DoorLines(
            new CompartmentId(i),
            new LineRef(Gpio, 2 * i),
            new LineRef(Gpio, 2 * i + 1),
            latchFeedback ? new LineRef(Gpio, 40 + i) : null,
            Rail: sameRail ? 0 : i)));
        Controller = new DoorController(Bank.Configs, Bank, Options, Clock, Facts.Add);
        Bank.Attach(Controller);
        Controller.Start(Bank.IsOpen, Bank.IsLatchReleased);
    }

    private bool _dead;

    public ManualTimeProvider Clock { get; } = new();

    public SimulatedBoard Board { get; }

    public GpioController Gpio { get; }

    public GpioDoorBank Bank { get; }

    public DoorController Controller { get; }

    public List<DoorFact> Facts { get; } = [];

    public SimulatedDoor Door(int n) => Board.Doors[n - 1];

    public void Advance(int milliseconds) => Clock.Advance(TimeSpan.FromMilliseconds(milliseconds));

    public IEnumerable<T> Of<T>()
        where T : DoorFact => Facts.OfType<T>();

    /// <summary>The supply drops: the program driving this board is gone with it, so nothing of it is disposed.</summary>
    public void CutPower()
    {
        Board.PowerCut();
        _dead = true;
    }

    public void Dispose()
    {
        if (!_dead)
        {
            Controller.Dispose();
            Bank.Dispose();
            Gpio.Dispose();
        }
    }
}
