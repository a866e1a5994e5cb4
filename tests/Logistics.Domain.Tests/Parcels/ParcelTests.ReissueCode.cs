using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static readonly DateTimeOffset ReissuedAt = DepositedAt.AddHours(6);

    private static ParcelEvent[] Blocked() =>
        [.. InLocker(), WrongCode(1), WrongCode(2), WrongCode(3), WrongCode(4), WrongCode(5), new PickupCodeBlocked(Id, 5, DepositedAt.AddHours(5))];

    [Fact]
    public void GivenCodeBlocked_WhenReissueCode_ThenNewCodeUnblocks()
    {
        var spec = Given(Blocked()).When(new ReissueCode("hash-2", CollectBy, ReissuedAt));

        spec.Then(new PickupCodeReissued(Id, "hash-2", CollectBy, ReissuedAt));
        Assert.Equal(new PickupCode("hash-2", CollectBy, 0, false), Assert.IsType<Parcel.AwaitingCollection>(spec.ThenState()).Code);
    }

    [Fact]
    public void GivenCodeReissued_WhenCollect_ThenCollected() =>
        Given([.. Blocked(), new PickupCodeReissued(Id, "hash-2", CollectBy, ReissuedAt)])
            .When(new Collect(ReissuedAt.AddHours(1)))
            .Then(new ParcelCollected(Id, Locker, 7, null, ReissuedAt.AddHours(1)));

    [Fact]
    public void GivenCodeReissued_WhenReissueTheSameCodeAgain_ThenNothingHappens() =>
        Given([.. Blocked(), new PickupCodeReissued(Id, "hash-2", CollectBy, ReissuedAt)])
            .When(new ReissueCode("hash-2", CollectBy, ReissuedAt.AddMinutes(1)))
            .Then();

    [Fact]
    public void GivenAwaitingCollection_WhenReissueAnAlreadyExpiredCode_ThenRefused() =>
        Given(InLocker()).When(new ReissueCode("hash-2", ReissuedAt.AddMinutes(-1), ReissuedAt)).ThenRefused("parcel.invalid-deadlines");

    [Fact]
    public void GivenAwaitingCollection_WhenReissueWithoutHash_ThenRefused() =>
        Given(InLocker()).When(new ReissueCode(" ", CollectBy, ReissuedAt)).ThenRefused("parcel.code-hash-missing");

    [Fact]
    public void GivenPickedUp_WhenReissueCode_ThenRefused() =>
        Given(Registered(), PickedUpAtShop()).When(new ReissueCode("hash-2", CollectBy, ReissuedAt)).ThenRefused("parcel.in-transit");
}
