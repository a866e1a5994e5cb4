using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Codes;
using Logistics.Testing;

namespace Logistics.Lockers.Host.Tests.Controller;

public sealed class LockerControllerTests : IDisposable
{
    private static readonly byte[] CodeKey = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))];

    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _clock = new();
    private readonly ECDsa _coreKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    [Fact]
    public void DepositCommandCommitsTheIntentBeforeThePulse()
    {
        using var h = Harness();

        var result = h.Send(new CommandBody.OpenForDeposit(2, "parcel-1"));

        Assert.Equal(CommandStatus.Executed, result.Status);
        Assert.Equal([2], h.Coils.SwitchedOn);
        Assert.Equal([true], h.Coils.IntentDurableAtSwitchOn);
        h.Door(2, true);
        Assert.Empty(h.Journal.UnfinishedIntents());
        var opened = Assert.Single(h.Payloads().OfType<DevicePayload.DoorOpened>());
        Assert.Equal(new UnlockCause(UnlockKind.Deposit, "cmd-1", "parcel-1"), opened.Cause);
    }

    [Fact]
    public void UnlockCutShortByACrashIsReportedUnknownAndNeverRepulsed()
    {
        using (var h = Harness())
        {
            h.Send(new CommandBody.OpenForDeposit(3, "parcel-1"));
            Assert.Single(h.Journal.UnfinishedIntents());
        }

        using var restarted = Harness();

        var unknown = Assert.Single(restarted.Payloads().OfType<DevicePayload.UnlockOutcomeUnknown>());
        Assert.Equal((3, "parcel-1"), (unknown.Compartment, unknown.Cause.ParcelId));
        Assert.Empty(restarted.Coils.SwitchedOn);
        Assert.Empty(restarted.Journal.UnfinishedIntents());
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(restarted.Coils.SwitchedOn);
    }

    [Fact]
    public void JammedDoorClosesItsIntentWithTheJamAlarm()
    {
        using var h = Harness();
        h.Send(new CommandBody.OpenForDeposit(1, "parcel-1"));

        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 1], h.Coils.SwitchedOn);
        Assert.Equal("cmd-1", Assert.Single(h.Payloads().OfType<DevicePayload.Jammed>()).Cause!.CommandId);
        Assert.Empty(h.Journal.UnfinishedIntents());
    }

    [Fact]
    public void RepeatedCommandGetsItsStoredResultAndIsNotExecutedAgain()
    {
        using (var h = Harness())
        {
            var signed = h.Signed(new CommandBody.OpenForDeposit(1, "parcel-1"));
            var first = h.Controller.Handle(signed);
            h.Door(1, true);
            Assert.Equal(first, h.Controller.Handle(signed));
            Assert.Equal([1], h.Coils.SwitchedOn);
        }

        using var restarted = Harness();
        var again = restarted.Controller.Handle(restarted.Signed(new CommandBody.OpenForDeposit(1, "parcel-1"), seq: 1));
        Assert.Equal(CommandStatus.Executed, again.Status);
        Assert.Empty(restarted.Coils.SwitchedOn);
        Assert.Equal(3, restarted.Payloads().OfType<DevicePayload.CommandResult>().Count(r => r.CommandId == "cmd-1"));
    }

    [Fact]
    public void ForgedExpiredAndStaleCommandsAreRefused()
    {
        using var h = Harness();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = CommandSignature(new CommandBody.RemoteOpen(1, "test", "op"), otherKey, seq: 5);
        var tampered = h.Signed(new CommandBody.RemoteOpen(1, "test", "op")) is var s
            ? s with { Command = s.Command with { Body = new CommandBody.RemoteOpen(2, "test", "op") } }
            : null!;

        Assert.Equal(CommandStatus.BadSignature, h.Controller.Handle(forged).Status);
        Assert.Equal(CommandStatus.BadSignature, h.Controller.Handle(tampered).Status);
        Assert.Equal(CommandStatus.Expired, h.Controller.Handle(h.Signed(new CommandBody.RemoteOpen(1, "t", "op"), TimeSpan.Zero)).Status);
        Assert.Equal(CommandStatus.Executed, h.Controller.Handle(h.Signed(new CommandBody.RemoteOpen(1, "t", "op"), seq: 10)).Status);
        Assert.Equal(CommandStatus.Stale, h.Controller.Handle(h.Signed(new CommandBody.RemoteOpen(2, "t", "op"), seq: 9)).Status);
        Assert.Equal([1], h.Coils.SwitchedOn);
    }

    [Fact]
    public void BoardRefusesTheEleventhRemoteOpenInFiveMinutesWhateverTheCoreSays()
    {
        using var h = Harness(compartments: 12);

        var results = Enumerable.Range(1, 11).Select(c => h.Send(new CommandBody.RemoteOpen(c, "stuck customer", "op-1")).Status).ToList();

        Assert.Equal([.. Enumerable.Repeat(CommandStatus.Executed, 10), CommandStatus.Refused], results);
        _clock.Advance(TimeSpan.FromMilliseconds(3_100));
        Assert.Equal(Enumerable.Range(1, 10), h.Coils.SwitchedOn);
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(CommandStatus.Executed, h.Send(new CommandBody.RemoteOpen(12, "again", "op-1")).Status);
    }

    [Fact]
    public void RemoteOpenLimitSurvivesARestart()
    {
        using (var h = Harness(compartments: 12))
        {
            for (var c = 1; c <= 10; c++)
            {
                h.Send(new CommandBody.RemoteOpen(c, "r", "op"));
            }
        }

        using var restarted = Harness(compartments: 12);
        Assert.Equal(CommandStatus.Refused, restarted.Send(new CommandBody.RemoteOpen(11, "r", "op")).Status);
    }

    [Fact]
    public void OfflineCollectionIsJournalledWithItsTimeAndTheCodeIsUsedUpForGood()
    {
        using (var h = Harness())
        {
            h.Send(new CommandBody.SetCodeKey(CodeKey));
            h.Send(new CommandBody.ProvisionCodes([new CodeVerifier("parcel-9", 4, PickupCodeHash.Compute(CodeKey, "246810"), _clock.GetUtcNow().AddDays(2))]));
        }

        DateTimeOffset collectedAt;
        using (var h = Harness())
        {
            _clock.Advance(TimeSpan.FromHours(3));
            collectedAt = _clock.GetUtcNow();

            Assert.IsType<CodeCheck.Accepted>(h.Controller.EnterCode("246810"));

            Assert.Equal([4], h.Coils.SwitchedOn);
            var accepted = Assert.Single(h.Payloads().OfType<DevicePayload.CodeAccepted>());
            Assert.Equal(new DevicePayload.CodeAccepted("parcel-9", 4, collectedAt), accepted);
        }

        using var restarted = Harness();
        Assert.IsType<CodeCheck.Rejected>(restarted.Controller.EnterCode("246810"));
        Assert.Empty(restarted.Coils.SwitchedOn);
    }

    [Fact]
    public void WrongCodesAreJournalledUntilTheKeypadIsThrottled()
    {
        using var h = Harness();
        h.Send(new CommandBody.SetCodeKey(CodeKey));

        for (var i = 0; i < 25; i++)
        {
            h.Controller.EnterCode("000000");
        }

        var rejected = h.Payloads().OfType<DevicePayload.CodeRejected>().ToList();
        Assert.Equal(20, rejected.Count);
        Assert.Equal(3600, rejected[^1].RetryAfterSeconds);
        var throttled = Assert.IsType<CodeCheck.Rejected>(h.Controller.EnterCode("000000"));
        Assert.Equal((RejectionReason.Throttled, 60), (throttled.Reason, throttled.RetryAfterMinutes));
    }

    [Fact]
    public void KeypadThrottleSurvivesARestart()
    {
        using (var h = Harness())
        {
            h.Send(new CommandBody.SetCodeKey(CodeKey));
            for (var i = 0; i < 20; i++)
            {
                h.Controller.EnterCode("000000");
            }
        }

        using var restarted = Harness();
        _clock.Advance(TimeSpan.FromMinutes(30));

        var check = Assert.IsType<CodeCheck.Rejected>(restarted.Controller.EnterCode("000000"));
        Assert.Equal((RejectionReason.Throttled, 30), (check.Reason, check.RetryAfterMinutes));
    }

    [Fact]
    public void DepositIntoACompartmentOutOfServiceIsRefused()
    {
        using var h = Harness();
        h.Send(new CommandBody.SetOutOfService(2, true, "broken hinge"));

        Assert.Equal(CommandStatus.Refused, h.Send(new CommandBody.OpenForDeposit(2, "p")).Status);
        Assert.Empty(h.Coils.SwitchedOn);
    }

    [Fact]
    public void APickupOpensTheDoorForTheCourierEvenOutOfServiceAndTiesTheDoorToTheParcel()
    {
        using var h = Harness();
        h.Send(new CommandBody.SetOutOfService(2, true, "broken hinge"));

        var result = h.Send(new CommandBody.OpenForPickup(2, "parcel-9"));

        Assert.Equal(CommandStatus.Executed, result.Status);
        Assert.Equal([2], h.Coils.SwitchedOn);
        Assert.Equal([true], h.Coils.IntentDurableAtSwitchOn);
        h.Door(2, true);
        var opened = Assert.Single(h.Payloads().OfType<DevicePayload.DoorOpened>());
        Assert.Equal(new UnlockCause(UnlockKind.Pickup, "cmd-2", "parcel-9"), opened.Cause);
    }

    [Fact]
    public void ACollectionCheckedOnlineOpensTheDoorForTheRecipientAndUsesTheCodeUpOnTheBoardToo()
    {
        using (var h = Harness())
        {
            h.Send(new CommandBody.SetCodeKey(CodeKey));
            h.Send(new CommandBody.ProvisionCodes([new CodeVerifier("parcel-9", 4, PickupCodeHash.Compute(CodeKey, "246810"), _clock.GetUtcNow().AddDays(2))]));

            var result = h.Send(new CommandBody.OpenForCollection(4, "parcel-9"));

            Assert.Equal(CommandStatus.Executed, result.Status);
            Assert.Equal([4], h.Coils.SwitchedOn);
            h.Door(4, true);
            var opened = Assert.Single(h.Payloads().OfType<DevicePayload.DoorOpened>());
            Assert.Equal(UnlockKind.Collection, opened.Cause!.Kind);
            Assert.Equal("parcel-9", opened.Cause.ParcelId);
            Assert.NotNull(opened.Cause.CommandId);
            Assert.IsType<CodeCheck.Rejected>(h.Controller.EnterCode("246810"));
        }

        using var restarted = Harness();
        Assert.IsType<CodeCheck.Rejected>(restarted.Controller.EnterCode("246810"));
    }

    [Fact]
    public void EverythingTheBoardRecordsHasGapFreeSequenceNumbers()
    {
        using var h = Harness();
        h.Send(new CommandBody.SetCodeKey(CodeKey));
        h.Send(new CommandBody.OpenForDeposit(1, "p"));
        h.Door(1, true);
        h.Door(1, false);
        h.Door(3, true);
        h.Controller.EnterCode("1");

        var seqs = h.Journal.ReadFrom(1, 1000).Select(e => e.Seq).ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.True(seqs.Count >= 8);
    }

    [Fact]
    public void WhatIsJournalledIsSaidEvenWhenTheCoreAcknowledgedItBeforeTheBoardSaidIt()
    {
        using var h = Harness();
        // A fast link: each event is sent as soon as it is committed, and the core's acknowledgement drops it from the
        // outbox before the controller tells the panel, the page and the terminal what happened.
        h.Journal.Appended += () => h.Journal.Acknowledge(h.Journal.LastSeq);
        var said = new List<DevicePayload>();
        h.Controller.Recorded += said.Add;

        h.Door(2, true);
        h.Door(2, false);

        Assert.Contains(said, p => p is DevicePayload.DoorOpened { Compartment: 2, Authorised: false });
        Assert.Contains(said, p => p is DevicePayload.ForcedOpen { Compartment: 2 });
        Assert.Contains(said, p => p is DevicePayload.DoorClosed { Compartment: 2 });
        Assert.Empty(h.Payloads());
    }

    public void Dispose()
    {
        _coreKey.Dispose();
        _dir.Dispose();
    }

    private static SignedCommand CommandSignature(CommandBody body, ECDsa key, long seq) =>
        Host.Link.CommandSignature.Sign(new DeviceCommand($"cmd-{seq}", ControllerHarness.DeviceId, seq, DateTimeOffset.MaxValue, body), key);

    private ControllerHarness Harness(int compartments = 4) => new ControllerHarness(_dir, _clock, _coreKey, compartments).Started();
}
