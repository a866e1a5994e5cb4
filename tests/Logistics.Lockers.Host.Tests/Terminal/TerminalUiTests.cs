using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Link;
using Logistics.Lockers.Host.Terminal;
using Logistics.Testing;

namespace Logistics.Lockers.Host.Tests.Terminal;

public sealed class TerminalUiTests : IDisposable
{
    private static readonly byte[] CodeKey = [.. Enumerable.Range(0, 32).Select(i => (byte)(i + 3))];

    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _clock = new();
    private readonly ECDsa _coreKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly StringWriter _screen = new();

    [Fact]
    public void PersonCollectsAParcelWithACodeOnTheSimulatedLocker()
    {
        using var app = Start();
        var ui = new TerminalUi(app, TextReader.Null, _screen);
        Provision(app, "parcel-77", 2, "246810");

        ui.Handle("2468 10");
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        ui.Handle("close 2");
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        ui.Handle("d");

        var screen = _screen.ToString();
        Assert.Contains("Code accepted: door 2 is opening", screen, StringComparison.Ordinal);
        Assert.Contains("parcel parcel-77 collected from door 2", screen, StringComparison.Ordinal);
        Assert.Contains("door 2 opened", screen, StringComparison.Ordinal);
        Assert.Contains("door 2 closed", screen, StringComparison.Ordinal);
        Assert.Contains("[ 2] closed", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongCodesEndInAThrottleMessageWithMinutes()
    {
        using var app = Start();
        var ui = new TerminalUi(app, TextReader.Null, _screen);
        Provision(app, "parcel-1", 1, "111111");

        for (var i = 0; i < 21; i++)
        {
            ui.Handle("000000");
        }

        Assert.Contains("Wrong code. Please check", _screen.ToString(), StringComparison.Ordinal);
        Assert.Contains("Too many wrong codes. Please try again in 60 minutes.", _screen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ForcingADoorShowsTheAlarm()
    {
        using var app = Start();
        var ui = new TerminalUi(app, TextReader.Null, _screen);

        ui.Handle("force 3");
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Contains("ALARM door 3 forced open", _screen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DemoConfigurationLoads()
    {
        var config = LockerConfig.Load(Path.Combine(Checkout.Root, "lockers/Logistics.Lockers.Host/demo/locker.json"));

        Assert.Equal(6, config.Compartments.Count);
        Assert.Equal("board:26", config.Compartments[4].Latch);
    }

    [Fact]
    public void LineWiredTwiceIsRefused()
    {
        var config = Config() with
        {
            Compartments = [new CompartmentConfig { Number = 1, Relay = "board:1", Sensor = "board:2" }, new CompartmentConfig { Number = 2, Relay = "board:2", Sensor = "board:3" }],
        };

        Assert.Throws<InvalidDataException>(config.Validate);
    }

    public void Dispose()
    {
        _coreKey.Dispose();
        _dir.Dispose();
    }

    private LockerApp Start()
    {
        File.WriteAllText(_dir.File("core.pem"), _coreKey.ExportSubjectPublicKeyInfoPem());
        return LockerApp.Start(Config(), simulated: true, _clock, _ => { });
    }

    private LockerConfig Config() => new()
    {
        DeviceId = "locker-t",
        JournalPath = _dir.File("journal.db"),
        DeviceKeyPath = _dir.File("device.pem"),
        CorePublicKeyPath = _dir.File("core.pem"),
        Compartments = [.. Enumerable.Range(1, 3).Select(n => new CompartmentConfig { Number = n, Relay = $"board:{2 * n}", Sensor = $"board:{(2 * n) + 1}" })],
    };

    private void Provision(LockerApp app, string parcel, int compartment, string code)
    {
        var expires = _clock.GetUtcNow().AddDays(1);
        app.Controller.Handle(CommandSignature.Sign(new DeviceCommand("k", "locker-t", 1, expires, new CommandBody.SetCodeKey(CodeKey)), _coreKey));
        app.Controller.Handle(CommandSignature.Sign(
            new DeviceCommand("p", "locker-t", 2, expires, new CommandBody.ProvisionCodes([new CodeVerifier(parcel, compartment, PickupCodeHash.Compute(CodeKey, code), expires)])),
            _coreKey));
    }
}
