using System.Collections.Concurrent;
using System.Net.Http.Json;
using Logistics.Lockers.Hardware.Simulated;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Link;
using Logistics.Lockers.Host.Web;
using Logistics.Testing;
using Logistics.Testing.Core;
using Microsoft.AspNetCore.Builder;

namespace Logistics.Lockers.E2E.Tests.Support;

/// <summary>
/// The real locker program (<see cref="LockerApp"/>: simulated board, SQLite journal, controller, link) in the test
/// process, set up the way the demo host does it: the core's public key written for it, its device key registered
/// with the core through the operator API. Optionally with its web page on a loopback port.
/// </summary>
public sealed class InProcessBoard : IAsyncDisposable
{
    private readonly TempDirectory? _dir;
    private readonly CancellationTokenSource _stop = new();
    private Task _link = Task.CompletedTask;
    private WebApplication? _web;

    private InProcessBoard(LockerApp app, TempDirectory? dir, ConcurrentQueue<string> log)
    {
        App = app;
        _dir = dir;
        Log = log;
    }

    public LockerApp App { get; }

    /// <summary>What the board logged (link up/down, keys).</summary>
    public ConcurrentQueue<string> Log { get; }

    /// <summary>The board's web page and endpoints (when started with web).</summary>
    public HttpClient? Web { get; private set; }

    /// <param name="folder">The board's own folder (keys, journal), kept by the caller: a board started again on it is the same board restarted (a new program version, say); a new folder by default.</param>
    /// <param name="version">The program version the board runs and reports.</param>
    /// <param name="update">Fleet updates, configured as on a real board.</param>
    public static async Task<InProcessBoard> StartAsync(TestNetwork net, Uri? coreUrl = null, bool web = false, string? folder = null, string? version = null, UpdateConfig? update = null)
    {
        var dir = folder is null ? new TempDirectory("lockers") : null;
        var path = folder ?? dir!.Path;
        var config = LockerConfig.SimulatedDemo(net.LockerId, 6, path, coreUrl ?? net.Core.BaseAddress) with { PulseLogPath = Path.Combine(path, "pulses.log"), Update = update };
        var corePem = await net.Core.Operator().GetStringAsync("/api/lockers/core-public-key");
        var devicePem = LockerApp.PrepareKeys(config, corePem);
        await (await net.Core.Operator().PostJsonAsync($"/api/lockers/{net.LockerId}/device-key", new { devicePublicKey = devicePem })).OkAsync();
        var log = new ConcurrentQueue<string>();
        var board = new InProcessBoard(LockerApp.Start(config, simulated: true, TimeProvider.System, log.Enqueue, version), dir, log);
        board._link = board.App.Link!.RunAsync(board._stop.Token);
        if (web)
        {
            board._web = await LockerWebServer.StartAsync("http://127.0.0.1:0", board.App);
            board.Web = new HttpClient { BaseAddress = new Uri(board._web.Urls.First()), Timeout = TimeSpan.FromSeconds(15) };
        }

        return board;
    }

    public LinkClient Link => App.Link!;

    public string PulseLogPath => App.Config.PulseLogPath!;

    public SimulatedDoor Door(int number) => App.Hardware.Simulated!.Doors[number - 1];

    /// <summary>Types a code on the web page's endpoint, as the page's OK button does.</summary>
    public async Task<CodeAnswer> TypeAsync(string code) =>
        (await (await Web!.PostAsJsonAsync("code", new { code })).Content.ReadFromJsonAsync<CodeAnswer>(TestCore.Json))!;

    public async Task<DoorAnswer> DoorAsync(int number, string action) =>
        (await (await Web!.PostAsync($"doors/{number}/{action}", null)).Content.ReadFromJsonAsync<DoorAnswer>(TestCore.Json))!;

    public async Task<LockerView> StateAsync() => (await Web!.GetFromJsonAsync<LockerView>("state", TestCore.Json))!;

    /// <summary>Everything journalled has been acknowledged by the core.</summary>
    public Task DrainedAsync() => Wait.UntilAsync(() => Link.State == LinkState.Online && App.Journal.AckedSeq == App.Journal.LastSeq, "the core to acknowledge the whole journal");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _link;
        if (_web is not null)
        {
            await _web.StopAsync();
            await _web.DisposeAsync();
        }

        Web?.Dispose();
        App.Dispose();
        _stop.Dispose();
        _dir?.Dispose();
    }
}
