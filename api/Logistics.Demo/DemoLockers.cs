using Logistics.Application.Lockers;
using Logistics.Application.ProcessManagers;
using Logistics.Application.ReadSide;
using Logistics.Domain;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Web;

namespace Logistics.Demo;

/// <summary>
/// The demo network's lockers as simulated boards: the real board program (<see cref="LockerApp"/>: simulated doors,
/// SQLite journal, controller, signed-command link) run in this process, one per locker of the network, each
/// connecting to the core over its WebSocket like a board in the street would. Their keys and journals live in
/// <c>.data/lockers/&lt;id&gt;</c>, so a restart keeps what each board did; each has its page (keypad, doors) at
/// <c>/demo/lockers/&lt;id&gt;</c>.
/// </summary>
public sealed class DemoLockers : IAsyncDisposable
{
    /// <summary>A person playing the demo needs time to reach the locker's page: the door waits this long to be opened.</summary>
    private const int DemoOpenTimeoutMs = 20_000;

    private readonly List<LockerApp> _boards;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _links = [];

    private DemoLockers(List<LockerApp> boards) => _boards = boards;

    public IReadOnlyList<LockerApp> Boards => _boards;

    /// <summary>Where a locker's page is mapped.</summary>
    public static string PagePath(string lockerId) => $"/demo/lockers/{lockerId}";

    /// <summary>
    /// Makes (or reopens) a board for every locker of the network and registers its device key with the core, so
    /// that what the seeder deposits afterwards is provisioned to it. Boards are not connected yet: see <see cref="Connect"/>.
    /// </summary>
    public static async Task<DemoLockers> PrepareAsync(IServiceProvider services, string dataDirectory, Uri coreUrl, Action<string> log, CancellationToken cancellationToken = default)
    {
        var devices = services.GetRequiredService<LockerDevices>();
        var signer = services.GetRequiredService<CommandSigner>();
        await services.GetRequiredService<ProcessManagerHost>().CatchUpAsync(cancellationToken);
        var boards = new List<LockerApp>();
        try
        {
            foreach (var locker in (await services.GetRequiredService<LockerQueries>().AllAsync(null, cancellationToken)).OrderBy(l => l.LockerId, StringComparer.Ordinal))
            {
                var config = LockerConfig.SimulatedDemo(locker.LockerId, locker.Compartments, Path.Combine(dataDirectory, locker.LockerId), coreUrl);
                config = config with { Doors = config.Doors with { OpenTimeoutMs = DemoOpenTimeoutMs } };
                var devicePem = LockerApp.PrepareKeys(config, signer.PublicKeyPem);
                await devices.RegisterAsync(new LockerId(locker.LockerId), LockerDevices.ParsePublicKey(devicePem), cancellationToken);

                var id = locker.LockerId;
                boards.Add(LockerApp.Start(config, simulated: true, TimeProvider.System, line => log($"[{id}] {line}")));
            }
        }
        catch
        {
            boards.ForEach(b => b.Dispose());
            throw;
        }

        return new DemoLockers(boards);
    }

    /// <summary>Maps each board's page (anyone may play the locker: it stands in the street).</summary>
    public void MapPages(IEndpointRouteBuilder routes)
    {
        foreach (var board in _boards)
        {
            LockerWebUi.Map(routes, PagePath(board.Config.DeviceId), board).AllowAnonymous().ExcludeFromDescription();
        }
    }

    /// <summary>Starts every board's link to the core (they retry with backoff until the core answers).</summary>
    public void Connect()
    {
        foreach (var board in _boards)
        {
            _links.Add(board.Link!.RunAsync(_stop.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_links);
        }
        catch (OperationCanceledException)
        {
        }

        // Coils off, lines released, journals closed.
        _boards.ForEach(b => b.Dispose());
        _stop.Dispose();
    }
}
