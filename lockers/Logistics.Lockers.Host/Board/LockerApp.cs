using System.Security.Cryptography;
using Logistics.Lockers.Doors;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Controller;
using Logistics.Lockers.Host.Journal;
using Logistics.Lockers.Host.Link;
using Logistics.Lockers.Host.Panel;
using Logistics.Lockers.Host.Updates;

namespace Logistics.Lockers.Host.Board;

/// <summary>
/// Everything on the board wired together: hardware → door bank → controller (journal, codes, commands) → link.
/// Start-up order matters: relays are opened off first, unfinished unlocks are reported, then doors are read.
/// </summary>
public sealed class LockerApp : IDisposable
{
    private readonly ECDsa _deviceKey;
    private readonly ECDsa _coreKey;
    private readonly PulseLog? _pulseLog;

    private readonly TaskCompletionSource _restart;
    private readonly ReleaseUpdates? _releases;
    private readonly ECDsa? _releaseKey;

    private LockerApp(LockerConfig config, BoardHardware hardware, Journal.Journal journal, LockerController controller, BoardPeripherals peripherals, LinkClient? link, ECDsa deviceKey, ECDsa coreKey, PulseLog? pulseLog, TaskCompletionSource restart, (UpdateGuard Guard, ReleaseUpdates Releases, ECDsa Key)? updates)
    {
        _restart = restart;
        UpdateGuard = updates?.Guard;
        _releases = updates?.Releases;
        _releaseKey = updates?.Key;
        _pulseLog = pulseLog;
        Peripherals = peripherals;
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

    /// <summary>The keypad, display, buzzer and scanner, and the panel that answers the person at the doors.</summary>
    public BoardPeripherals Peripherals { get; }

    public FrontPanel Panel => Peripherals.Panel;

    /// <summary>Fleet updates' guard, when configured (is this release on trial; confirmed when the link is welcomed).</summary>
    public UpdateGuard? UpdateGuard { get; }

    /// <summary>Completes when the board must restart (a release installed, or rolled back): the program exits and systemd starts <c>current</c>.</summary>
    public Task RestartRequested => _restart.Task;

    /// <summary>The device's public key (SubjectPublicKeyInfo PEM), to register with the core.</summary>
    public string DevicePublicKeyPem => _deviceKey.ExportSubjectPublicKeyInfoPem();

    /// <summary>
    /// Gets a board ready to talk to a core before <see cref="Start"/>: writes the core's command public key where
    /// the configuration expects it (when given), makes the device key if there is none, and returns the device's
    /// public key PEM to register with the core (operator API <c>POST /api/lockers/{id}/device-key</c>).
    /// </summary>
    public static string PrepareKeys(LockerConfig config, string? corePublicKeyPem)
    {
        if (corePublicKeyPem is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(config.CorePublicKeyPath))!);
            File.WriteAllText(config.CorePublicKeyPath, corePublicKeyPem);
        }

        if (!File.Exists(config.DeviceKeyPath))
        {
            return Keys.Generate(config.DeviceKeyPath);
        }

        using var key = Keys.LoadPrivate(config.DeviceKeyPath);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>
    /// Builds and starts the board. A simulated board makes its device key if it has none (the public half is
    /// written next to it for the core); without the core's public key it still runs, refusing every command.
    /// </summary>
    /// <param name="version">The program version to report and to install from (tests start "another version" with it); the running program's by default.</param>
    public static LockerApp Start(LockerConfig config, bool simulated, TimeProvider time, Action<string> log, string? version = null)
    {
        var running = version ?? BoardVersion.Current;
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

        var hardware = simulated ? BoardHardware.Simulate(config, time) : BoardHardware.Real(config, time);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(config.JournalPath))!);
        var clock = simulated ? new BoardClock(time, Guid.NewGuid(), () => true) : BoardClock.System();
        var journal = Host.Journal.Journal.Open(config.JournalPath, config.DeviceId, clock);
        var pulseLog = simulated && config.PulseLogPath is { } pulses ? new PulseLog(hardware.Bank, journal, pulses) : null;
        var controller = new LockerController(journal, hardware.Bank.Configs, (ICoilOutput?)pulseLog ?? hardware.Bank, config.Doors.ToOptions(), new CommandSignature(coreKey));
        hardware.Bank.Attach(controller.Doors);
        controller.Start(hardware.Bank.IsOpen, hardware.Bank.IsLatchReleased);
        var peripherals = BoardPeripherals.Start(config, hardware, controller, time, log);
        var link = config.CoreUrl is { } url
            ? new LinkClient(new LinkOptions { CoreUrl = url }, journal, new DeviceCredential(config.DeviceId, deviceKey, running), new CommandSignature(coreKey), controller.Handle, time, log: log)
            : null;
        var restart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (UpdateGuard, ReleaseUpdates, ECDsa)? updates = null;
        if (config.Update is { } update)
        {
            var layout = new ReleaseLayout(update.Root);
            var releaseKey = Keys.LoadPublic(update.ReleasePublicKeyPath);
            var releases = new ReleaseUpdates(layout, releaseKey, running, config.CoreUrl, controller, () => restart.TrySetResult(), log);
            controller.Releases = releases;
            var guard = new UpdateGuard(layout, update, running, controller, link, time, () => restart.TrySetResult(), log);
            guard.Start();
            updates = (guard, releases, releaseKey);
        }

        return new LockerApp(config, hardware, journal, controller, peripherals, link, deviceKey, coreKey, pulseLog, restart, updates);
    }

    public void Dispose()
    {
        // Updates and the people's side first, coils off (the controller), then the lines, then the journal.
        UpdateGuard?.Dispose();
        _releases?.Running.Wait(TimeSpan.FromSeconds(30));
        _releases?.Dispose();
        _releaseKey?.Dispose();
        Peripherals.Dispose();
        Controller.Dispose();
        Hardware.Dispose();
        _pulseLog?.Dispose();
        Journal.Dispose();
        _deviceKey.Dispose();
        _coreKey.Dispose();
    }
}
