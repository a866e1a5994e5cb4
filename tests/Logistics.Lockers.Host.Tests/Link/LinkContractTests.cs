using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Host.Link;

namespace Logistics.Lockers.Host.Tests.Link;

/// <summary>The wire shapes the core's gateway relies on: a change here is a protocol change.</summary>
public sealed class LinkContractTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public void FramesUseTypeAndKindDiscriminatorsInCamelCase()
    {
        var e = new BoardMessage.Event(new DeviceEvent("locker-1", 7, Guid.Empty, 1234, At, true, new DevicePayload.CodeAccepted("p-1", 4, At)));

        var json = LinkJson.Serialize(e);

        Assert.Equal(
            """{"type":"event","body":{"deviceId":"locker-1","seq":7,"bootId":"00000000-0000-0000-0000-000000000000","monotonicMs":1234,"wallClock":"2026-11-02T08:30:00+00:00","clockSynchronised":true,"payload":{"kind":"codeAccepted","parcelId":"p-1","compartment":4,"collectedAt":"2026-11-02T08:30:00+00:00"}}}""",
            json);
        Assert.Equal(e, LinkJson.ReadBoardMessage(json) with { });
    }

    [Fact]
    public void EveryPayloadKindRoundTrips()
    {
        var cause = new UnlockCause(UnlockKind.Deposit, "cmd-1", "p-1");
        DevicePayload[] payloads =
        [
            new DevicePayload.DoorOpened(1, true, cause), new DevicePayload.DoorClosed(1, 5000), new DevicePayload.PulseSent(1, 2, 300, cause),
            new DevicePayload.LatchReleased(1, null), new DevicePayload.Jammed(1, 2, cause), new DevicePayload.DoorLeftOpen(1, 120_000),
            new DevicePayload.ForcedOpen(1), new DevicePayload.CoilWatchdogTripped(1), new DevicePayload.UnlockOutcomeUnknown(1, cause, At),
            new DevicePayload.CodeAccepted("p", 1, At), new DevicePayload.CodeRejected("WrongCode", 0),
            new DevicePayload.CommandResult("cmd-1", CommandStatus.Refused, "door is Open"),
        ];

        Assert.All(payloads, p => Assert.Equal(p, LinkJson.ReadPayload(LinkJson.Serialize(p))));
        Assert.Contains("\"status\":\"Refused\"", LinkJson.Serialize(payloads[^1]), StringComparison.Ordinal);
    }

    [Fact]
    public void SignedCommandSurvivesJsonAndItsSignatureStillVerifies()
    {
        using var core = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var command = new DeviceCommand("cmd-9", "locker-1", 9, At, new CommandBody.ProvisionCodes(
            [new CodeVerifier("p-1", 3, [.. Enumerable.Range(0, 32).Select(i => (byte)i)], At.AddDays(3))]));
        var json = LinkJson.Serialize(new CoreMessage.Command(CommandSignature.Sign(command, core)));

        var read = Assert.IsType<CoreMessage.Command>(LinkJson.ReadCoreMessage(json));

        Assert.True(new CommandSignature(core).IsValid(read.Signed));
        Assert.Contains("\"kind\":\"provisionCodes\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void CanonicalFormOfACommandIsStable()
    {
        var command = new DeviceCommand("c1", "l1", 5, At, new CommandBody.RemoteOpen(2, "stuck", "op"));

        var hex = Convert.ToHexString(CanonicalForm.Of(command));

        Assert.Equal(
            "0000001B6C6F676973746963732E6C6F636B65722E636F6D6D616E642E7631" + "000000026331" + "000000026C31" + "0000000135"
            + "0000000D31373933363038323030303030" + "0000000A72656D6F74654F70656E" + "0000000132" + "00000005737475636B" + "000000026F70",
            hex);
    }

    [Fact]
    public void HelloSignatureBindsTheNonce()
    {
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var hello = new DeviceCredential("locker-1", device).Hello(Guid.NewGuid(), "nonce-1", 42);

        Assert.True(DeviceCredential.Verify(hello, device));
        Assert.False(DeviceCredential.Verify(hello with { Nonce = "nonce-2" }, device));
        Assert.False(DeviceCredential.Verify(hello with { LastSeq = 41 }, device));
    }

    [Fact]
    public void HelloSignatureBindsTheProgramVersionAndOldHellosStillVerify()
    {
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var hello = new DeviceCredential("locker-1", device, "2.1.0").Hello(Guid.NewGuid(), "nonce-1", 42);
        var older = new DeviceCredential("locker-1", device).Hello(Guid.NewGuid(), "nonce-1", 42);

        Assert.Equal("2.1.0", hello.ProgramVersion);
        Assert.True(DeviceCredential.Verify(hello, device));
        Assert.False(DeviceCredential.Verify(hello with { ProgramVersion = "2.0.0" }, device));
        Assert.False(DeviceCredential.Verify(hello with { ProgramVersion = null }, device));
        Assert.True(DeviceCredential.Verify(older, device));
        Assert.Null(((BoardMessage.Hello)LinkJson.ReadBoardMessage(LinkJson.Serialize(older))).ProgramVersion);
        Assert.Equal("2.1.0", ((BoardMessage.Hello)LinkJson.ReadBoardMessage(LinkJson.Serialize(hello))).ProgramVersion);
    }
}
