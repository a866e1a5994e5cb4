using System.Security.Cryptography;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Controller;
using Logistics.Lockers.Host.Journal;
using Logistics.Lockers.Host.Link;

namespace Logistics.Lockers.Host.Board;

/// <summary>
/// Everything on the board wired together: hardware → door bank → controller (journal, codes, commands) → link.
/// Start-up order matters: relays are opened off first, unfinished unlocks are reported, then doors are read.
/// </summary>
public sealed class LockerApp : IDisposable
{
    private readonly ECDsa _deviceKey;
    private readonly ECDsa _coreKey;

    private LockerApp(LockerConfig config, BoardHardware hardware, Journal.Journal journal, LockerController controller, LinkClient? link, ECDsa deviceKey, ECDsa coreKey)
    {
        Config = config;
        Hardware = hardware;
        Journal = journal;
        Controller = controller;
        Link = link;
        _deviceKey = deviceKey;
        _coreKey = coreKey;
    }

    public LockerConfig Config { get; }

    public BoardHardware Hardware { get; }

    public Journal.Journal Journal { get; }

    public LockerController Controller { get; }

    public LinkClient? Link { get; }

    /// <summary>
    /// Builds and starts the board. A simulated board makes its device key if it has none (the public half is
    /// written next to it for the core); without the core's public key it still runs, refusing every command.
    /// </summary>
    public static LockerApp Start(LockerConfig config, bool simulated, TimeProvider time, Action<string> log)
    {
        if (simulated && !File.Exists(config.DeviceKeyPath))
        {
            Keys.Generate(config.DeviceKeyPath);
            log($"made a device key: register {config.DeviceKeyPath}.pub with the core");
        }

        var deviceKey = Keys.LoadPrivate(config.DeviceKeyPath);
        ECDsa coreKey;
        if (File.Exists(config.CorePublicKeyPath))
        {
            coreKey = Keys.LoadPublic(config.CorePublicKeyPath);
        }
        else if (simulated)
        {
            log($"no core public key at {config.CorePublicKeyPath}: every command will be refused");
            coreKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        }
        else
        {
            throw new FileNotFoundException("The core's public key is missing.", config.CorePublicKeyPath);
        }

        var hardware = simulated ? BoardHardware.Simulate(config, time) : BoardHardware.Real(config);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(config.JournalPath))!);
        var clock = simulated ? new BoardClock(time, Guid.NewGuid(), () => true) : BoardClock.System();
        var journal = Host.Journal.Journal.Open(config.JournalPath, config.DeviceId, clock);
        var controller = new LockerController(journal, hardware.Bank.Configs, hardware.Bank, config.Doors.ToOptions(), new CommandSignature(coreKey));
        hardware.Bank.Attach(controller.Doors);
        controller.Start(hardware.Bank.IsOpen, hardware.Bank.IsLatchReleased);
        var link = config.CoreUrl is { } url
            ? new LinkClient(new LinkOptions { CoreUrl = url }, journal, new DeviceCredential(config.DeviceId, deviceKey), controller.Handle, time, log: log)
            : null;
        return new LockerApp(config, hardware, journal, controller, link, deviceKey, coreKey);
    }

    public void Dispose()
    {
        // Coils off first (the controller), then the lines, then the journal.
        Controller.Dispose();
        Hardware.Dispose();
        Journal.Dispose();
        _deviceKey.Dispose();
        _coreKey.Dispose();
    }
}
