extern alias LockerHost;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using LockerHost::Logistics.Lockers.Host.Board;
using LockerHost::Logistics.Lockers.Host.Configuration;
using LockerHost::Logistics.Lockers.Host.Link;
using Logistics.LockerLink;
using Logistics.Lockers.Codes;
using Logistics.Lockers.Doors;
using Logistics.Perf.LockerBoard;

namespace Logistics.Perf.Federation;

/// <summary>
/// One locker's board for the day: the real board program (<see cref="LockerApp"/> on the simulated board: door
/// controller, SQLite journal, provisioned code hashes, keypad) on the real link over a WebSocket from its own loopback
/// address. People stand in front of it: a courier or customer shuts each door a moment after it pops open. It counts,
/// board-side, every door opening per cause (a command id, or a parcel collected at the keypad), and notes when each
/// parcel's deposit door opened and its code was provisioned.
/// </summary>
internal sealed class DayBoard : IDisposable
{
    private readonly ECDsa _deviceKey;
    private readonly ECDsa _coreKey;
    private readonly HttpMessageInvoker _connector;
    private readonly ConcurrentDictionary<string, int> _openings = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _depositOpened = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _provisioned = new();
    private readonly SemaphoreSlim _keypad = new(1, 1);

    private DayBoard(string id, LockerApp app, ECDsa deviceKey, ECDsa coreKey, HttpMessageInvoker connector, Uri coreUrl)
    {
        Id = id;
        App = app;
        _deviceKey = deviceKey;
        _coreKey = coreKey;
        _connector = connector;
        Link = new LinkClient(new LinkOptions { CoreUrl = coreUrl, Connector = connector }, app.Journal, new DeviceCredential(id, deviceKey), new CommandSignature(coreKey), Handle);
        app.Controller.Recorded += OnRecorded;
    }

    public string Id { get; }

    public LockerApp App { get; }

    public LinkClient Link { get; }

    /// <summary>Openings of one cause beyond the first: a door opened twice for one command or one collection.</summary>
    public int OpenedTwice => _openings.Values.Sum(n => n - 1);

    /// <summary>
    /// Makes the board's keys, registers its locker with them (<paramref name="register"/> answers the locker's id),
    /// and starts the board; its link starts with <see cref="LinkClient.RunAsync"/>.
    /// </summary>
    public static async Task<DayBoard> StartAsync(string folder, int compartments, string corePublicKeyPem, Uri coreUrl, IPAddress from, Func<string, Task<string>> register)
    {
        var config = LockerConfig.SimulatedDemo("unregistered", compartments, folder, coreUrl: null);
        var id = await register(LockerApp.PrepareKeys(config, corePublicKeyPem));
        config = config with { DeviceId = id };
        var app = LockerApp.Start(config, simulated: true, TimeProvider.System, _ => { });
        var connector = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = Reconnect.From(from) });
        return new DayBoard(id, app, Keys.LoadPrivate(config.DeviceKeyPath), Keys.LoadPublic(config.CorePublicKeyPath), connector, coreUrl);
    }

    /// <summary>When (a <see cref="Stopwatch"/> timestamp) the door for the parcel's deposit opened.</summary>
    public Task<long> DepositOpened(string parcel) => _depositOpened.GetOrAdd(parcel, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Completes once the board holds the parcel's code hash (the keypad can check it offline).</summary>
    public Task Provisioned(string parcel) => _provisioned.GetOrAdd(parcel, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The customer types the code at the keypad once the compartment's door is shut; returns what the board answered.</summary>
    public async Task<CodeCheck> TypeCodeAsync(int compartment, string code)
    {
        var door = new CompartmentId(compartment);
        var simulated = App.Hardware.Simulated!.Doors[compartment - 1];
        for (var waited = Stopwatch.StartNew(); simulated.IsOpen || App.Controller.Doors.Status(door).Phase != DoorPhase.Closed; await Task.Delay(20))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"door {compartment} of {Id} never closed");
            }
        }

        // One person at a keypad at a time.
        await _keypad.WaitAsync();
        try
        {
            return App.Controller.EnterCode(code);
        }
        finally
        {
            _keypad.Release();
        }
    }

    private DevicePayload.CommandResult Handle(SignedCommand signed)
    {
        var result = App.Controller.Handle(signed);
        if (signed.Command.Body is CommandBody.ProvisionCodes codes && result.Status == CommandStatus.Executed)
        {
            foreach (var code in codes.Codes)
            {
                _provisioned.GetOrAdd(code.ParcelId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }

        return result;
    }

    private void OnRecorded(DevicePayload payload)
    {
        if (payload is not DevicePayload.DoorOpened { Cause: { } cause } opened)
        {
            return;
        }

        var at = Stopwatch.GetTimestamp();
        _openings.AddOrUpdate(cause.CommandId ?? $"{cause.Kind}:{cause.ParcelId}", 1, (_, n) => n + 1);
        if (cause is { Kind: UnlockKind.Deposit, ParcelId: { } parcel })
        {
            _depositOpened.GetOrAdd(parcel, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(at);
        }

        // The courier puts the parcel in (or the customer takes it out) and shuts the door.
        var door = App.Hardware.Simulated!.Doors[opened.Compartment - 1];
        _ = Task.Delay(50).ContinueWith(_ => door.PersonCloses(), TaskScheduler.Default);
    }

    public void Dispose()
    {
        App.Controller.Recorded -= OnRecorded;
        App.Dispose();
        _connector.Dispose();
        _deviceKey.Dispose();
        _coreKey.Dispose();
        _keypad.Dispose();
    }
}
