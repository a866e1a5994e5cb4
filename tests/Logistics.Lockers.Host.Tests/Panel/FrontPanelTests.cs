using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Codes;
using Logistics.Lockers.Hardware.Peripherals;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Link;
using Logistics.Lockers.Host.Panel;
using Logistics.Testing;

namespace Logistics.Lockers.Host.Tests.Panel;

/// <summary>
/// The person at a simulated locker: keys on the matrix keypad (dotnet/iot's KeyMatrix scanning the simulated board),
/// the display (dotnet/iot's CharacterLcd writing to the simulated backpack), the buzzer and the scanner.
/// </summary>
public sealed class FrontPanelTests : IDisposable
{
    private static readonly byte[] CodeKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _clock = new();
    private readonly ECDsa _coreKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    [Fact]
    public async Task KeysOnTheMatrixOpenTheDoorAndTheDisplaySaysSo()
    {
        using var app = Start("fr");
        Provision(app, "parcel-9", 2, "4321");
        var keys = app.Peripherals.SimulatedKeypad!;

        foreach (var key in "4321")
        {
            keys.Hold(key);
            await Until(() => app.Panel.Lines[^1].Replace(" ", "", StringComparison.Ordinal).EndsWith(key));
            keys.Release(key);
        }

        Assert.Equal(["Code :", "4321"], app.Panel.Lines);
        keys.Hold('#');
        await Until(() => app.Hardware.Simulated!.Doors[1].Pulses == 1);
        keys.Release('#');

        Assert.Equal(0, app.Hardware.Simulated!.Doors[0].Pulses);
        await Until(() => app.Peripherals.SimulatedDisplay!.Lines.SequenceEqual(["Porte 2 ouverte ", "Prenez le colis "]));
        Assert.Contains(app.Journal.ReadFrom(1, 100), e => e.Payload is DevicePayload.CodeAccepted { ParcelId: "parcel-9" });
    }

    [Fact]
    public async Task ScannedQrFromTheTrackingPageCollectsAndALabelGoesToTheCore()
    {
        using var app = Start("fr");
        Provision(app, "parcel-9", 3, "12345678");

        var qr = Assert.IsType<ScanOutcome.PickupCode>(app.Panel.Scan("1234 5678"));
        Assert.IsType<CodeCheck.Accepted>(qr.Check);
        Assert.Equal(1, app.Hardware.Simulated!.Doors[2].Pulses);

        var label = Assert.IsType<ScanOutcome.Label>(app.Panel.Scan("PARCEL-0042"));
        Assert.Null(label.Compartment);
        Assert.Contains(app.Journal.ReadFrom(1, 100), e => e.Payload is DevicePayload.LabelScanned { Text: "PARCEL-0042" });
        await Until(() => app.Peripherals.SimulatedDisplay!.Lines[0] == "Colis scanne    ");
    }

    [Fact]
    public async Task WrongCodeInEnglishBeepsThreeTimesThenThePromptComesBack()
    {
        using var app = Start("en");
        Provision(app, "parcel-9", 1, "4321");
        var buzzer = BoardHardware.FirstPeripheralLine(app.Config);
        var before = app.Hardware.Simulated!.OutputLog.Count;

        Assert.IsType<CodeCheck.Rejected>(app.Panel.Submit("9999"));
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(["Wrong code", "Check your code"], app.Panel.Lines);
        Assert.Equal(3, app.Hardware.Simulated.OutputLog.Skip(before).Count(w => w.Pin == buzzer && w.Level));
        Assert.Equal(Feedback.Refused, app.Peripherals.Beeper!.Last);
        await Until(() => app.Peripherals.SimulatedDisplay!.Lines[0] == "Wrong code      ");

        _clock.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(["Enter your code", "or scan the QR"], app.Panel.Lines);
    }

    [Fact]
    public void StarClearsAndLettersAreIgnored()
    {
        using var app = Start("en");

        foreach (var key in "12A*7")
        {
            app.Panel.Key(key);
        }

        Assert.Equal(["Code:", "7"], app.Panel.Lines);
    }

    public void Dispose()
    {
        _coreKey.Dispose();
        _dir.Dispose();
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5);
        }
    }

    private LockerApp Start(string language)
    {
        File.WriteAllText(_dir.File("core.pem"), _coreKey.ExportSubjectPublicKeyInfoPem());
        var config = new LockerConfig
        {
            DeviceId = "locker-p",
            JournalPath = _dir.File("journal.db"),
            DeviceKeyPath = _dir.File("device.pem"),
            CorePublicKeyPath = _dir.File("core.pem"),
            Language = language,
            Keypad = new KeypadConfig { Rows = ["board:20", "board:21", "board:22", "board:23"], Columns = ["board:24", "board:25", "board:26", "board:27"], ScanMs = 2 },
            Display = new DisplayConfig(),
            Buzzer = new BuzzerConfig { Line = "board:18" },
            Compartments = [.. Enumerable.Range(1, 3).Select(n => new CompartmentConfig { Number = n, Relay = $"board:{2 * n}", Sensor = $"board:{(2 * n) + 1}" })],
        };
        return LockerApp.Start(config, simulated: true, _clock, _ => { });
    }

    private void Provision(LockerApp app, string parcel, int compartment, string code)
    {
        var expires = _clock.GetUtcNow().AddDays(1);
        app.Controller.Handle(CommandSignature.Sign(new DeviceCommand("k", "locker-p", 1, expires, new CommandBody.SetCodeKey(CodeKey)), _coreKey));
        app.Controller.Handle(CommandSignature.Sign(
            new DeviceCommand("p", "locker-p", 2, expires, new CommandBody.ProvisionCodes([new CodeVerifier(parcel, compartment, PickupCodeHash.Compute(CodeKey, code), expires)])),
            _coreKey));
    }
}
