using System.Collections.Concurrent;
using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Journal;
using Logistics.Lockers.Host.Link;
using Logistics.Testing;

namespace Logistics.Lockers.Host.Tests.Link;

/// <summary>
/// What the board trusts on its link (issue 11, class 12): only the core's signed welcome and acks for this very
/// connection drop events from the journal, frames it cannot read do not wedge the link, and plain ws leaves this
/// machine for nowhere.
/// </summary>
public sealed class LinkTrustTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ECDsa _deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _coreKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _log = new();

    /// <summary>Every way a welcome or an ack may fail to be the core's word for this connection.</summary>
    public static TheoryData<string, string> Forgeries()
    {
        var data = new TheoryData<string, string>();
        foreach (var frame in new[] { "welcome", "ack" })
        {
            foreach (var forgery in new[] { "unsigned", "garbage", "another key", "another device", "another connection", "another seq" })
            {
                data.Add(frame, forgery);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task AWelcomeOrAckThatIsNotTheCoresWordForThisConnectionDropsNothingFromTheJournal(string frame, string forgery)
    {
        using var journal = Open();
        Fill(journal, 10);
        // When acks are forged, the genuine welcome says the core holds nothing, so only an ack could drop events.
        await using var gateway = new LoopbackGateway(_deviceKey, _coreKey)
        {
            Forge = (m, binding, _) => IsTarget(m, frame) ? Forge(m, binding, forgery) : m is CoreMessage.Welcome w ? LinkSignatures.Sign(w with { AckedSeq = 0 }, binding, _coreKey) : m,
        };
        if (frame == "welcome")
        {
            // The core would say it holds everything: a forged welcome must not make the board forget it.
            gateway.Holds(journal.ReadFrom(1, 10));
        }

        var link = Start(journal, gateway);
        if (frame == "welcome")
        {
            await LoopbackGateway.WaitUntil(() => gateway.Sessions >= 3, "the board to refuse the welcome and retry");
            Assert.Empty(gateway.Received);
        }
        else
        {
            await LoopbackGateway.WaitUntil(() => gateway.AcksSent.Count >= 3 && gateway.Sessions >= 2, "acks refused and the board to reconnect");
        }

        Assert.Equal(0, journal.AckedSeq);
        Assert.Equal(10, journal.ReadFrom(1, 100).Count);
        await StopAsync(link);
    }

    [Fact]
    public async Task TheCoresOwnSignedWelcomeAndAcksDoDropEvents()
    {
        using var journal = Open();
        Fill(journal, 10);
        await using var gateway = new LoopbackGateway(_deviceKey, _coreKey);
        gateway.Holds(journal.ReadFrom(1, 4));

        var link = Start(journal, gateway);
        await LoopbackGateway.WaitUntil(() => journal.AckedSeq == 10, "every event acknowledged");

        Assert.Equal([5, 6, 7, 8, 9, 10], gateway.Received);
        Assert.Equal(1, gateway.Sessions);
        await StopAsync(link);
    }

    /// <summary>Frames a newer core (or a broken one) may send: each is skipped, the session stays up.</summary>
    public static TheoryData<string> UnreadableFrames() =>
    [
        "not json at all",
        "{}",
        "[1,2,3]",
        """{"type":"somethingNewer","field":1}""",
        """{"type":"ack","upToSeq":"many"}""",
        """{"type":"command","signed":null}""",
        """{"type":"command","signed":{"signature":"AAAA"}}""",
        "null",
        """{"type":"challenge","nonce":"again"}""",
        new string('x', 70_000),
    ];

    [Theory]
    [MemberData(nameof(UnreadableFrames))]
    public async Task AFrameTheBoardCannotReadIsSkippedWithoutDroppingTheLink(string frame)
    {
        using var journal = Open();
        Fill(journal, 3);
        await using var gateway = new LoopbackGateway(_deviceKey, _coreKey);
        var link = Start(journal, gateway);
        await LoopbackGateway.WaitUntil(() => journal.AckedSeq == 3, "the first events acknowledged");

        gateway.PushRaw(frame);
        await LoopbackGateway.WaitUntil(() => _log.Any(l => l.Contains("skipped", StringComparison.Ordinal)), "the board to skip the frame");
        Fill(journal, 3);
        await LoopbackGateway.WaitUntil(() => journal.AckedSeq == 6, "later events acknowledged in the same session");

        Assert.Equal(1, gateway.Sessions);
        Assert.Equal(LinkState.Online, link.Link.State);
        await StopAsync(link);
    }

    public static TheoryData<string, bool> CoreUrls() => new()
    {
        { "https://core.example/", true },
        { "wss://core.example/base/", true },
        { "http://127.0.0.1:8080/", true },
        { "ws://127.0.0.1:8080/", true },
        { "http://[::1]:8080/", true },
        { "http://localhost:8080/", true },
        { "http://core.example/", false },
        { "ws://core.example/", false },
        { "http://10.0.0.2:8080/", false },
        { "http://192.168.1.10/", false },
        { "ftp://core.example/", false },
    };

    [Theory]
    [MemberData(nameof(CoreUrls))]
    public void PlainWebSocketsAreRefusedExceptToThisMachine(string url, bool allowed)
    {
        var options = new LinkOptions { CoreUrl = new Uri(url) };
        using var journal = Open();

        var start = () => new LinkClient(options, journal, new DeviceCredential("locker-7", _deviceKey), new CommandSignature(_coreKey), _ => throw new InvalidOperationException());
        var config = () => LockerConfig.SimulatedDemo("locker-7", 4, _dir.Path, coreUrl: new Uri(url)).Validate();

        if (allowed)
        {
            Assert.Null(options.Refusal);
            Assert.NotNull(start());
            config();
        }
        else
        {
            Assert.NotNull(options.Refusal);
            Assert.Throws<ArgumentException>(start);
            Assert.Throws<InvalidDataException>(config);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        _deviceKey.Dispose();
        _coreKey.Dispose();
        _otherKey.Dispose();
        _dir.Dispose();
    }

    private static bool IsTarget(CoreMessage message, string frame) =>
        (frame, message) is ("welcome", CoreMessage.Welcome) or ("ack", CoreMessage.Ack);

    private CoreMessage Forge(CoreMessage message, LinkSession binding, string forgery)
    {
        var other = forgery switch
        {
            "another device" => binding with { DeviceId = "locker-8" },
            "another connection" => binding with { Nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
            _ => binding,
        };
        var key = forgery == "another key" ? _otherKey : _coreKey;
        return (message, forgery) switch
        {
            (CoreMessage.Welcome w, "unsigned") => w with { Signature = "" },
            (CoreMessage.Ack a, "unsigned") => a with { Signature = "" },
            (CoreMessage.Welcome w, "garbage") => w with { Signature = "AAAA" },
            (CoreMessage.Ack a, "garbage") => a with { Signature = "AAAA" },
            // A genuine signature over another number.
            (CoreMessage.Welcome w, "another seq") => LinkSignatures.Sign(w with { AckedSeq = w.AckedSeq - 1 }, binding, _coreKey) with { AckedSeq = w.AckedSeq },
            (CoreMessage.Ack a, "another seq") => LinkSignatures.Sign(a with { UpToSeq = a.UpToSeq - 1 }, binding, _coreKey) with { UpToSeq = a.UpToSeq },
            (CoreMessage.Welcome w, _) => LinkSignatures.Sign(w, other, key),
            (CoreMessage.Ack a, _) => LinkSignatures.Sign(a, other, key),
            _ => message,
        };
    }

    private (LinkClient Link, Task Running) Start(Host.Journal.Journal journal, LoopbackGateway gateway)
    {
        var options = new LinkOptions { CoreUrl = gateway.Url, InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };
        var link = new LinkClient(options, journal, new DeviceCredential("locker-7", _deviceKey), new CommandSignature(_coreKey), _ => throw new InvalidOperationException("no commands here"), log: _log.Enqueue);
        return (link, link.RunAsync(_stop.Token));
    }

    private async Task StopAsync((LinkClient Link, Task Running) link)
    {
        await _stop.CancelAsync();
        await link.Running.WaitAsync(TimeSpan.FromSeconds(10));
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
