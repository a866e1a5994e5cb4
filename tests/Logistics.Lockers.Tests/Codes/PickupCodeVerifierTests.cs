using Logistics.LockerLink;
using Logistics.Lockers.Codes;
using Logistics.Lockers.Doors;
using Logistics.Testing;

namespace Logistics.Lockers.Tests.Codes;

public sealed class PickupCodeVerifierTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private readonly ManualTimeProvider _clock = new();
    private readonly PickupCodeVerifier _verifier;

    public PickupCodeVerifierTests()
    {
        _verifier = new PickupCodeVerifier(_clock);
        _verifier.SetKey(Key);
        Provision("P-1", 4, "482913", TimeSpan.FromDays(3));
        Provision("P-2", 5, "777001", TimeSpan.FromHours(1));
    }

    [Fact]
    public void ProvisionedCodeOpensItsCompartmentOnce()
    {
        var accepted = Assert.IsType<CodeCheck.Accepted>(_verifier.Check("482913"));
        Assert.Equal(("P-1", new CompartmentId(4), _clock.GetUtcNow()), (accepted.ParcelId, accepted.Compartment, accepted.CollectedAt));

        var again = Assert.IsType<CodeCheck.Rejected>(_verifier.Check("482913"));
        Assert.Equal(RejectionReason.WrongCode, again.Reason);
    }

    [Fact]
    public void CodeIsCheckedWhateverSpacesAndDashesThePersonTypes()
    {
        Assert.IsType<CodeCheck.Accepted>(_verifier.Check("482-913"));
        Assert.IsType<CodeCheck.Accepted>(_verifier.Check(" 777 001 "));
    }

    [Fact]
    public void ExpiredCodeIsRefused()
    {
        _clock.Advance(TimeSpan.FromHours(1));

        var rejected = Assert.IsType<CodeCheck.Rejected>(_verifier.Check("777001"));

        Assert.Equal(RejectionReason.Expired, rejected.Reason);
    }

    [Fact]
    public void RevokedCodeIsRefused()
    {
        Assert.True(_verifier.Revoke("P-1"));

        Assert.IsType<CodeCheck.Rejected>(_verifier.Check("482913"));
    }

    [Fact]
    public void CodeHashedWithAnotherKeyIsRefused()
    {
        _verifier.Provision(new ProvisionedCode("P-3", new CompartmentId(6), PickupCodeHash.Compute(new byte[32], "111111"), _clock.GetUtcNow().AddDays(1)));

        Assert.IsType<CodeCheck.Rejected>(_verifier.Check("111111"));
    }

    [Fact]
    public void TwentyWrongCodesInAnHourThrottleTheKeypadEvenForAGoodCode()
    {
        for (var i = 0; i < 19; i++)
        {
            Assert.Equal(TimeSpan.Zero, Assert.IsType<CodeCheck.Rejected>(_verifier.Check($"00000{i}")).RetryAfter);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        var twentieth = Assert.IsType<CodeCheck.Rejected>(_verifier.Check("999999"));
        Assert.Equal(RejectionReason.WrongCode, twentieth.Reason);
        Assert.Equal(41, twentieth.RetryAfterMinutes);

        var good = Assert.IsType<CodeCheck.Rejected>(_verifier.Check("482913"));
        Assert.Equal(RejectionReason.Throttled, good.Reason);
        Assert.Equal(41, good.RetryAfterMinutes);
    }

    [Fact]
    public void ThrottleSlidesWhenTheOldestFailureLeavesTheHour()
    {
        for (var i = 0; i < 20; i++)
        {
            _verifier.Check("000000");
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        // The first failure was 20 minutes ago: 40 more minutes to wait, then exactly one attempt is free.
        Assert.Equal(RejectionReason.Throttled, Assert.IsType<CodeCheck.Rejected>(_verifier.Check("482913")).Reason);
        _clock.Advance(TimeSpan.FromMinutes(40));

        Assert.IsType<CodeCheck.Accepted>(_verifier.Check("482913"));
        Assert.Equal(RejectionReason.WrongCode, Assert.IsType<CodeCheck.Rejected>(_verifier.Check("000000")).Reason);
        Assert.Equal(RejectionReason.Throttled, Assert.IsType<CodeCheck.Rejected>(_verifier.Check("777001")).Reason);
    }

    [Fact]
    public void ASharedCodeOpensEachOfItsParcelsOnceAndNoOther()
    {
        Provision("P-7", 2, "31415926", TimeSpan.FromDays(2));
        Provision("P-8", 9, "31415926", TimeSpan.FromDays(1));

        var accepted = Assert.IsType<CodeCheck.Accepted>(_verifier.Check("3141 5926"));

        Assert.Equal([new CodeCheck.Opened("P-7", new CompartmentId(2)), new CodeCheck.Opened("P-8", new CompartmentId(9))], accepted.All);
        Assert.Equal(RejectionReason.WrongCode, Assert.IsType<CodeCheck.Rejected>(_verifier.Check("31415926")).Reason);
        Assert.Equal(["P-1", "P-2"], _verifier.Snapshot().Select(c => c.ParcelId).Order());
    }

    [Fact]
    public void ASharedCodeOpensOnlyItsParcelsWhoseCodeHasNotExpired()
    {
        Provision("P-7", 2, "31415926", TimeSpan.FromDays(2));
        Provision("P-8", 9, "31415926", TimeSpan.FromHours(1));
        _clock.Advance(TimeSpan.FromHours(2));

        var accepted = Assert.IsType<CodeCheck.Accepted>(_verifier.Check("31415926"));

        Assert.Equal([new CodeCheck.Opened("P-7", new CompartmentId(2))], accepted.All);
        Assert.Equal(RejectionReason.Expired, Assert.IsType<CodeCheck.Rejected>(_verifier.Check("31415926")).Reason);
    }

    [Fact]
    public void VerifierWithoutAKeyRefusesEverything()
    {
        var bare = new PickupCodeVerifier(_clock);

        Assert.Equal(RejectionReason.NotProvisioned, Assert.IsType<CodeCheck.Rejected>(bare.Check("482913")).Reason);
    }

    private void Provision(string parcel, int compartment, string code, TimeSpan validFor) =>
        _verifier.Provision(new ProvisionedCode(parcel, new CompartmentId(compartment), PickupCodeHash.Compute(Key, code), _clock.GetUtcNow() + validFor));
}
