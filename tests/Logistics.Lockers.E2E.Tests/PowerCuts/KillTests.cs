using System.Text.Json;
using Logistics.Lockers.E2E.Tests.Support;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Journal;
using Logistics.Testing;
using Logistics.Testing.Core;
using Xunit.Abstractions;

namespace Logistics.Lockers.E2E.Tests.PowerCuts;

/// <summary>
/// The board program as a child process, killed with SIGKILL at random points over a hundred times while the core
/// deposits parcels and queues remote opens and people type codes and move doors; restarted each time on the same
/// journal. The core must hold every event of the device once, seq 1..N with no gap; no unlock may be pulsed twice;
/// an unlock cut short must come back as "outcome unknown" and never be pulsed again.
/// </summary>
public sealed class KillTests(ITestOutputHelper output) : CoreTest, IDisposable
{
    private const int Kills = 100;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task ABoardKilledAtRandomPointsLosesNothingDoublesNothingAndNeverPulsesAnUnlockTwice()
    {
        var config = await ConfigureBoardAsync();
        var random = new Random(20261122);
        var driver = new KillDriver(Net, random);

        // First, a deterministic cut mid-unlock: door 6 jammed, a remote open pulses it, the power goes before any answer.
        var jammedOpen = await KillDuringAJammedUnlockAsync(config);

        using var stopCore = new CancellationTokenSource();
        var core = driver.RunCoreAsync(stopCore.Token);
        for (var kill = 1; kill < Kills; kill++)
        {
            using var board = BoardProcess.Start(config);
            using var killed = new CancellationTokenSource();
            var people = Task.Run(async () =>
            {
                try
                {
                    await driver.RunPeopleAsync(await board.Web.WaitAsync(killed.Token), killed.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
                {
                    // Killed before its page was up.
                }
            });
            if (random.Next(5) == 0)
            {
                // Killed during start-up: opening the journal, reporting unfinished unlocks, connecting.
                await Task.Delay(random.Next(0, 400));
            }
            else
            {
                // Killed while it works: relative to its link being up, so a slow machine does not turn every run into a
                // start-up (nor into a run where no code reached the board before the cut).
                await OnlineAsync(board, await board.Web.WaitAsync(TimeSpan.FromSeconds(30)));
                await Task.Delay(random.Next(0, 450));
            }

            await board.KillAsync();
            await killed.CancelAsync();
            await people;
        }

        await stopCore.CancelAsync();
        await core;

        // Power back for good: the board drains its journal into the core (commands still queued there run too), then
        // goes down one last time; if it journalled something after the drain (a late command), once more.
        var configured = LockerConfig.Load(config);
        long lastSeq = 0;
        for (var final = 0; final < 3; final++)
        {
            await DrainAsync(config);
            using var journal = Journal.Open(configured.JournalPath, configured.DeviceId, new BoardClock(TimeProvider.System, Guid.NewGuid(), () => true));
            lastSeq = journal.LastSeq;
            if (journal.AckedSeq == lastSeq)
            {
                break;
            }
        }

        Assert.Equal(lastSeq, await AckedSeqAsync(Net.LockerId));
        await Core.SettleAsync();
        var events = await DeviceEventsAsync();
        Assert.Equal(Enumerable.Range(1, (int)lastSeq).Select(i => (long)i), events.Select(e => e.Seq));

        // Every unlock is concluded once (opened, jammed or outcome unknown) and pulsed at most once.
        var pulses = File.ReadAllLines(configured.PulseLogPath!).Select(l => l.Split(' ')).ToList();
        Assert.All(pulses.GroupBy(p => p[2]), g => Assert.Single(g, p => p[3] == "1"));
        var firstPulses = pulses.Where(p => p[3] == "1").Select(p => p[5]).ToList();
        Assert.Equal(firstPulses.Count, firstPulses.Distinct().Count());
        var conclusions = events
            .Where(e => e.Kind is "DoorOpened" or "Jammed" or "UnlockOutcomeUnknown")
            .Select(e => Payload(e.Body))
            .Where(p => p.TryGetProperty("cause", out var c) && c.ValueKind == JsonValueKind.Object)
            .Select(p => (Kind: p.GetProperty("kind").GetString(), Cause: CauseKey(p.GetProperty("cause"))))
            .ToList();
        Assert.Equal(conclusions.Count, conclusions.Select(c => c.Cause).Distinct().Count());
        Assert.All(firstPulses, cause => Assert.Contains(cause, conclusions.Select(c => c.Cause)));
        Assert.Contains(("unlockOutcomeUnknown", "command:" + jammedOpen), conclusions);
        Assert.Single(pulses, p => p[5] == "command:" + jammedOpen);

        // Every collection the keypad accepted reached the core once, and the parcel's history shows it.
        var collections = events.Where(e => e.Kind == "CodeAccepted").Select(e => Payload(e.Body).GetProperty("parcelId").GetString()!).ToList();
        Assert.Equal(collections.Count, collections.Distinct().Count());
        var missing = driver.AcceptedAtBoard.Except(collections).ToList();
        var diagnosis = new List<string>();
        foreach (var m in missing)
        {
            var d = driver.Deposited.Single(p => p.ParcelId == m);
            diagnosis.Add($"{m} c{d.Compartment} {(await Net.TrackAsync(d.TrackingId)).GetProperty("status").GetString()} events: {string.Join(" | ", events.Where(e => e.Body.GetRawText().Contains(m, StringComparison.Ordinal)).Select(e => e.Seq + " " + e.Kind))}");
        }

        Assert.True(missing.Count == 0, $"{missing.Count} of {driver.AcceptedAtBoard.Count} missing ({collections.Count} at the core):\n" + string.Join("\n", diagnosis));
        Assert.True(driver.AcceptedAtBoard.Count >= 5, $"only {driver.AcceptedAtBoard.Count} collections in {Kills} runs");
        foreach (var parcel in driver.Deposited.Where(d => collections.Contains(d.ParcelId)))
        {
            Assert.Equal("Collected", (await Net.TrackAsync(parcel.TrackingId)).GetProperty("status").GetString());
        }

        Assert.Contains(events, e => e.Kind == "UnlockOutcomeUnknown");
        output.WriteLine($"{Kills} kills: {events.Count} events, {collections.Count} collections ({driver.AcceptedAtBoard.Count} answered), {pulses.Count} pulses, {events.Count(e => e.Kind == "UnlockOutcomeUnknown")} unlocks with an unknown outcome");
        Assert.True(events.Count(e => e.Kind == "CommandResult") >= driver.RemoteOpens.Count);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Runs the board until the core holds its whole journal, has no command left for it and nothing new came for a
    /// second, then kills it.
    /// </summary>
    private async Task DrainAsync(string config)
    {
        using var board = BoardProcess.Start(config);
        var web = await board.Web.WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        var (stableSince, seen) = (DateTimeOffset.MaxValue, -1L);
        var lastSeen = "nothing yet";
        var draining = Wait.UntilAsync(
            async () =>
            {
                var state = JsonDocument.Parse(await http.GetStringAsync(new Uri(web, "state"))).RootElement;
                var last = state.GetProperty("lastSeq").GetInt64();
                var (link, waiting, acked) = (state.GetProperty("link").GetString(), state.GetProperty("eventsWaiting").GetInt64(), await AckedSeqAsync(Net.LockerId));
                var commands = await CommandsWithoutResultAsync();
                lastSeen = $"link {link}, journal up to {last}, {waiting} waiting, the core acknowledged {acked}, {commands} commands without a result";
                var drained = link == "online" && waiting == 0 && acked == last && commands == 0;
                if (!drained || last != seen)
                {
                    (stableSince, seen) = (drained ? DateTimeOffset.UtcNow : DateTimeOffset.MaxValue, last);
                }

                return DateTimeOffset.UtcNow - stableSince > TimeSpan.FromSeconds(1);
            },
            () => "the board to drain its journal (last seen: " + lastSeen + ")",
            seconds: 120);
        try
        {
            await draining;
        }
        catch (TimeoutException e)
        {
            // What the board kept reporting.
            var latest = (await DeviceEventsAsync()).TakeLast(12).Select(ev => $"{ev.Seq} {Payload(ev.Body).GetRawText()}");
            throw new TimeoutException(e.Message + "; latest events:\n" + string.Join("\n", latest), e);
        }

        await board.KillAsync();
    }

    /// <summary>
    /// Commands the core queued for the board (the collections' revocations, remote opens) that have no result yet
    /// and could still run: each result is one more event in the journal.
    /// </summary>
    private async Task<long> CommandsWithoutResultAsync() =>
        (await Core.QueryAsync(
            "select count(*) from locker_commands where locker_id = $1 and result_at is null and expires_at > now()",
            r => r.GetInt64(0),
            Net.LockerId)).Single();

    /// <summary>
    /// Waits (up to 10 s) for the board's page to say its link is online. A board that exited meanwhile fails the test
    /// with what it logged; a page that refuses a connection for a moment is asked again.
    /// </summary>
    private static async Task OnlineAsync(BoardProcess board, Uri web)
    {
        using var http = new HttpClient();
        await Wait.UntilAsync(
            async () =>
            {
                try
                {
                    return JsonDocument.Parse(await http.GetStringAsync(new Uri(web, "state"))).RootElement.GetProperty("link").GetString() == "online";
                }
                catch (HttpRequestException) when (!board.HasExited)
                {
                    return false;
                }
                catch (HttpRequestException e)
                {
                    throw new InvalidOperationException("The board exited before its link came up; it logged: " + string.Join(" | ", board.Errors.TakeLast(20)), e);
                }
            },
            "the board's link to come up",
            seconds: 10);
    }

    private static string CauseKey(JsonElement cause) =>
        cause.TryGetProperty("commandId", out var c) && c.GetString() is { } command ? "command:" + command : "parcel:" + cause.GetProperty("parcelId").GetString();

    /// <summary>The board's configuration file, its keys in place and registered with the core.</summary>
    private async Task<string> ConfigureBoardAsync()
    {
        var config = LockerConfig.SimulatedDemo(Net.LockerId, 6, _dir.Path, Core.BaseAddress) with { PulseLogPath = _dir.File("pulses.log") };
        var devicePem = LockerApp.PrepareKeys(config, await Core.Operator().GetStringAsync("/api/lockers/core-public-key"));
        await (await Core.Operator().PostJsonAsync($"/api/lockers/{Net.LockerId}/device-key", new { devicePublicKey = devicePem })).OkAsync();
        var path = _dir.File("locker.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(config, LockerConfig.JsonOptions));
        return path;
    }

    /// <summary>Returns the remote open's command id, pulsed once and never answered.</summary>
    private async Task<string> KillDuringAJammedUnlockAsync(string config)
    {
        using var board = BoardProcess.Start(config);
        var web = await board.Web.WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        (await http.PostAsync(new Uri(web, "doors/6/jam"), null)).EnsureSuccessStatusCode();
        var queued = await Core.Operator().PostJsonAsync($"/api/lockers/{Net.LockerId}/compartments/6/remote-open", new { reason = "jammed, then a power cut" });
        var commandId = (await queued.JsonAsync()).GetProperty("commandId").GetString()!;
        var pulses = _dir.File("pulses.log");
        await Wait.UntilAsync(() => File.Exists(pulses) && File.ReadAllText(pulses).Contains("command:" + commandId, StringComparison.Ordinal), "the jammed door to be pulsed");
        await board.KillAsync();
        return commandId;
    }
}
