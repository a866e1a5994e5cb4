using System.Runtime.InteropServices;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Terminal;
using Logistics.Lockers.Host.Updates;
using Logistics.Lockers.Host.Web;

namespace Logistics.Lockers.Host;

/// <summary>
/// The program on the board. <c>--config FILE</c> (default /etc/logistics-locker/locker.json);
/// <c>--simulated</c> runs on a simulated board; <c>--headless</c> runs without the keypad screen (systemd);
/// <c>--web URL</c> also serves the locker page (e.g. http://127.0.0.1:5091; port 0 picks one, printed as
/// <c>web: URL</c> on stdout); <c>keygen FILE</c> makes the device key and prints the public half to register with the core;
/// <c>version</c> prints the program's version; <c>release-keygen</c>, <c>release-pack</c> and <c>install-release</c>
/// make and install signed releases (see <see cref="ReleaseCommands"/>). Exits with 75 when it must be restarted into
/// another release.
/// </summary>
internal static class BoardProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        switch (args)
        {
            case ["keygen" or "release-keygen", var keyPath]:
                Console.Write(Keys.Generate(keyPath));
                return 0;
            case ["version"]:
                Console.WriteLine(BoardVersion.Current);
                return 0;
            case ["release-pack", ..]:
                return ReleaseCommands.Pack(args[1..]);
            case ["install-release", ..]:
                return ReleaseCommands.Install(args[1..]);
            case ["rollback", ..]:
                return ReleaseCommands.RollBack(args[1..]);
        }

        var configPath = "/etc/logistics-locker/locker.json";
        var (simulated, headless) = (false, false);
        string? webUrl = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Length:
                    configPath = args[++i];
                    break;
                case "--simulated":
                    simulated = true;
                    break;
                case "--headless":
                    headless = true;
                    break;
                case "--web" when i + 1 < args.Length:
                    webUrl = args[++i];
                    break;
                default:
                    await Console.Error.WriteLineAsync("usage: Logistics.Lockers.Host [--simulated] [--headless] [--web URL] [--config FILE] | keygen FILE | version | release-keygen FILE | release-pack … | install-release … | rollback --root DIR | self-test | soak JOURNAL PULSES");
                    return 2;
            }
        }

        var config = LockerConfig.Load(configPath);
        if (config.Update is { } update && UpdateGuard.RollBackIfFailingToStart(new ReleaseLayout(update.Root), update, BoardVersion.Current, message => Console.Error.WriteLine(message)))
        {
            return RestartExitCode;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        using var app = LockerApp.Start(config, simulated, TimeProvider.System, message => Console.Error.WriteLine(message));
        var link = app.Link?.RunAsync(stop.Token) ?? Task.CompletedTask;
        _ = app.RestartRequested.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
        await using var web = webUrl is null ? null : await LockerWebServer.StartAsync(webUrl, app, stop.Token);
        if (web is not null)
        {
            Console.WriteLine($"web: {web.Urls.First()}");
        }

        using var systemd = SystemdNotify.FromEnvironment();
        systemd.Send($"READY=1\nSTATUS=locker {config.DeviceId} running {BoardVersion.Current}");
        if (SystemdNotify.WatchdogPeriod() is { } period)
        {
            var first = app.Controller.Doors.Compartments.First();
            systemd.StartWatchdog(period, () => app.Controller.Doors.Status(first) is not null && app.Journal.LastSeq >= 0, TimeProvider.System);
        }

        try
        {
            if (headless)
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            else
            {
                await new TerminalUi(app, Console.In, Console.Out).RunAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // SIGTERM or Ctrl-C: fall through to an orderly stop, coils off.
        }

        await stop.CancelAsync();
        await link;
        if (web is not null)
        {
            await web.StopAsync(CancellationToken.None);
        }

        return app.RestartRequested.IsCompleted ? RestartExitCode : 0;
    }

    /// <summary>The exit code that asks systemd (Restart=always) for a restart into <c>current</c>: EX_TEMPFAIL.</summary>
    public const int RestartExitCode = 75;
}
