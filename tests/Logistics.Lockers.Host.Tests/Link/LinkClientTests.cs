using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Host.Journal;
using Logistics.Lockers.Host.Link;
using Logistics.Lockers.Host.Tests.Controller;
using Logistics.Testing;

namespace Logistics.Lockers.Host.Tests.Link;

public sealed class LinkClientTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ECDsa _deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _coreKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    [Fact]
    public async Task BacklogIsDrainedInOrderAcrossACutAndNothingIsStoredTwice()
    {
        using var journal = Open();
        Fill(journal, 300);
        await using var gateway = new LoopbackGateway(_deviceKey, _coreKey) { CutAfter = 120, AckEvery = 50 };

        var link = Start(journal, gateway);
        await LoopbackGateway.WaitUntil(() => journal.AckedSeq == 300, "the backlog to be acknowledged");
        Fill(journal, 5);
        await LoopbackGateway.WaitUntil(() => journal.AckedSeq == 305, "new events to follow");

        Assert.True(gateway.Hellos >= 2);
        Assert.Equal(Enumerable.Range(1, 305).Select(i => (long)i), gateway.Stored.Keys);
        Assert.All(gateway.Stored.Values.Take(300), e => Assert.Equal(new DevicePayload.ForcedOpen((int)e.Seq), e.Payload));
        Assert.True(gateway.Received.Count > 305, "the unacknowledged tail of the first session was resent");
        for (var i = 1; i < gateway.Received.Count; i++)
        {
            var (previous, current) = (gateway.Received[i - 1], gateway.Received[i]);
            Assert.True(current == previous + 1 || current <= previous, $"{current} after {previous}");
        }

        Assert.Empty(journal.ReadFrom(1, 1000));
        await StopAsync(link);
    }

    [Fact]
    public async Task OneCumulativeAckReleasesManyEvents()
    {
        using var journal = Open();
        Fill(journal, 100);
        await using var gateway = new LoopbackGateway(_deviceKey, _coreKey) { AckEvery = 25 };

        var link = Start(journal, gateway);
        await LoopbackGateway.WaitUntil(() => journal.AckedSeq == 100, "all events acknowledged");

        Assert.Equal([25L, 50L, 75L, 100L], gateway.AcksSent);
        Assert.Equal(100, gateway.Received.Count);
        await StopAsync(link);
    }

    [Fact]
    public async Task WelcomeSkipsWhatTheCoreAlreadyHolds()
    {
        using var journal = Open();
        Fill(journal, 40);
        await using var gateway = new LoopbackGateway(_deviceKey, _coreKey);
        gateway.Holds(journal.ReadFrom(1, 30));

        var link = Start(journal, gateway);
        await LoopbackGateway.WaitUntil(() => journal.AckedSeq == 40, "the rest acknowledged");

        Assert.Equal(31, gateway.Received.Min());
        await StopAsync(link);
    }

    [Fact]
    public async Task HelloSignedWithAnotherKeyIsRefusedAndNothingIsSent()
    {
        using var journal = Open();
        Fill(journal, 3);
        using var registered = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var gateway = new LoopbackGateway(registered, _coreKey);

        var link = Start(journal, gateway);
        await LoopbackGateway.WaitUntil(() => gateway.RefusedHellos >= 2, "the board to retry");

        Assert.Equal(0, gateway.Hellos);
        Assert.Empty(gateway.Received);
        Assert.Equal(3, journal.ReadFrom(1, 10).Count);
        await StopAsync(link);
    }

    [Fact]
    public async Task CommandRepeatedByTheCoreIsExecutedOnceAndItsResultSentTwice()
    {
        using var board = new ControllerHarness(_dir, new ManualTimeProvider(), _coreKey).Started();
        await using var gateway = new LoopbackGateway(_deviceKey, _coreKey);
        var link = new LinkClient(Options(gateway), board.Journal, new DeviceCredential(ControllerHarness.DeviceId, _deviceKey), new CommandSignature(_coreKey), board.Controller.Handle);
        var running = link.RunAsync(_stop.Token);
        await LoopbackGateway.WaitUntil(() => link.State == LinkState.Online, "the link to come up");

        var deposit = board.Signed(new CommandBody.OpenForDeposit(2, "parcel-5"));
        gateway.Push(deposit);
        gateway.Push(deposit);
        await LoopbackGateway.WaitUntil(
            () => gateway.Stored.Values.Count(e => e.Payload is DevicePayload.CommandResult) == 2, "two results");

        Assert.Equal([2], board.Coils.SwitchedOn);
        var results = gateway.Stored.Values.Select(e => e.Payload).OfType<DevicePayload.CommandResult>().ToList();
        Assert.Equal(results[0], results[1]);
        Assert.Equal(CommandStatus.Executed, results[0].Status);
        await StopAsync((link, running));
    }

    [Fact]
    public async Task CollectionWhileTheCoreIsDownReachesItLaterWithTheTimeItHappened()
    {
        var clock = new ManualTimeProvider();
        using var board = new ControllerHarness(_dir, clock, _coreKey).Started();
        byte[] codeKey = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 3))];
        board.Send(new CommandBody.SetCodeKey(codeKey));
        board.Send(new CommandBody.ProvisionCodes([new CodeVerifier("parcel-3", 3, PickupCodeHash.Compute(codeKey, "135790"), clock.GetUtcNow().AddDays(2))]));
        var port = Testing.Loopback.FreePort();
        var link = new LinkClient(
            new LinkOptions { CoreUrl = new Uri($"http://127.0.0.1:{port}/"), InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(100) },
            board.Journal,
            new DeviceCredential(ControllerHarness.DeviceId, _deviceKey),
            new CommandSignature(_coreKey),
            board.Controller.Handle);
        var running = link.RunAsync(_stop.Token);

        var collectedAt = clock.GetUtcNow();
        Assert.IsType<Lockers.Codes.CodeCheck.Accepted>(board.Controller.EnterCode("135790"));
        board.Door(3, true);
        clock.Advance(TimeSpan.FromHours(2));
        Assert.NotEqual(LinkState.Online, link.State);
        await using var gateway = new LoopbackGateway(_deviceKey, _coreKey, port);
        await LoopbackGateway.WaitUntil(() => board.Journal.AckedSeq == board.Journal.LastSeq, "the backlog to reach the core");

        var collected = Assert.Single(gateway.Stored.Values, e => e.Payload is DevicePayload.CodeAccepted);
        Assert.Equal(new DevicePayload.CodeAccepted("parcel-3", 3, collectedAt), collected.Payload);
        Assert.Equal(collectedAt, collected.WallClock);
        Assert.Contains(gateway.Stored.Values, e => e.Payload is DevicePayload.DoorOpened { Cause.ParcelId: "parcel-3" });
        await StopAsync((link, running));
    }

    [Fact]
    public void BackoffDoublesUpToTheCapWithJitterInTheUpperHalf()
    {
        var options = new LinkOptions { CoreUrl = new Uri("https://core.example/base/"), InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(60) };
        var random = new Random(7);

        for (var attempt = 0; attempt < 12; attempt++)
        {
            var cap = Math.Min(Math.Pow(2, attempt), 60);
            var delay = options.Backoff(attempt, random).TotalSeconds;
            Assert.InRange(delay, cap / 2, cap);
        }

        Assert.Equal(new Uri("wss://core.example/base/lockers/link"), options.Endpoint);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        _deviceKey.Dispose();
        _coreKey.Dispose();
        _dir.Dispose();
    }

    private static LinkOptions Options(LoopbackGateway gateway) =>
        new() { CoreUrl = gateway.Url, InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };

    private (LinkClient Link, Task Running) Start(Host.Journal.Journal journal, LoopbackGateway gateway)
    {
        var link = new LinkClient(Options(gateway), journal, new DeviceCredential("locker-7", _deviceKey), new CommandSignature(_coreKey), _ => throw new InvalidOperationException("no commands here"), log: _log.Enqueue);
        return (link, link.RunAsync(_stop.Token));
    }

    private async Task StopAsync((LinkClient Link, Task Running) link)
    {
        await _stop.CancelAsync();
        await link.Running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LinkState.Offline, link.Link.State);
    }

    private Host.Journal.Journal Open() =>
        Host.Journal.Journal.Open(_dir.File("journal.db"), "locker-7", new BoardClock(TimeProvider.System, Guid.NewGuid(), () => true));

    private static void Fill(Host.Journal.Journal journal, int count)
    {
        for (var i = 0; i < count; i++)
        {
            journal.Write(w => w.Append(new DevicePayload.ForcedOpen((int)journal.LastSeq + 1)));
        }
    }
}
