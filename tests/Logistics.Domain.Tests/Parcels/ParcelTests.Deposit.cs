using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static Deposit DepositIn(LockerId locker, int compartment = 7, DateTimeOffset? collectBy = null) =>
        new(locker, compartment, CodeHash, collectBy ?? CollectBy, RemindAt, collectBy ?? CollectBy, DepositedAt);

    [Fact]
    public void GivenPickedUp_WhenDeposit_ThenAwaitingCollectionWithItsCodeAndDeadlines()
    {
        var spec = Given(Registered(), PickedUpAtShop()).When(DepositIn(Locker));

        spec.Then(Deposited());
        var state = Assert.IsType<Parcel.AwaitingCollection>(spec.ThenState());
        Assert.Equal(new CollectionPoint.InLocker(Locker, 7), state.Point);
        Assert.Equal(new PickupCode(CodeHash, CollectBy, 0, false), state.Code);
        Assert.Equal(Courier, state.DepositedBy);
    }

    [Fact]
    public void GivenAwaitingCollection_WhenDepositAgainInTheSameCompartment_ThenNothingHappens() =>
        Given(InLocker()).When(DepositIn(Locker)).Then();

    [Fact]
    public void GivenAwaitingCollection_WhenDepositInAnotherCompartment_ThenRefused() =>
        Given(InLocker()).When(DepositIn(Locker, 8)).ThenRefused("parcel.awaiting-collection");

    [Fact]
    public void GivenPickedUp_WhenDepositInAnotherLockerThanItsDestination_ThenRefused()
    {
        var refusal = Given(Registered(), PickedUpAtShop()).When(DepositIn(OtherLocker)).ThenRefused("parcel.not-its-destination");

        Assert.Contains("without a redirect", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenRedirected_WhenDepositInTheNewLocker_ThenDeposited() =>
        Given(Registered(), PickedUpAtShop(), new ParcelRedirected(Id, OtherLocker, Said("locker full"), T0.AddHours(2)))
            .When(DepositIn(OtherLocker))
            .Then(Deposited() with { Locker = OtherLocker });

    [Fact]
    public void GivenPickedUpForHome_WhenDeposit_ThenRefused() =>
        Given(WithCourierForHome()).When(DepositIn(Locker)).ThenRefused("parcel.not-its-destination");

    [Fact]
    public void GivenPickedUp_WhenDepositWithADeadlineInThePast_ThenRefused() =>
        Given(Registered(), PickedUpAtShop()).When(DepositIn(Locker, collectBy: DepositedAt.AddMinutes(-1))).ThenRefused("parcel.invalid-deadlines");

    [Fact]
    public void GivenPickedUp_WhenDepositWithoutCodeHash_ThenRefused() =>
        Given(Registered(), PickedUpAtShop()).When(DepositIn(Locker) with { PickupCodeHash = "" }).ThenRefused("parcel.code-hash-missing");

    [Fact]
    public void GivenReturning_WhenDeposit_ThenRefused() =>
        Given([.. InLocker(), Expired(), PickedUpForReturn()]).When(DepositIn(Locker)).ThenRefused("parcel.returning");

    [Fact]
    public void GivenRegistered_WhenDeposit_ThenRefused() =>
        Given(Registered()).When(DepositIn(Locker)).ThenRefused("parcel.awaiting-pickup");
}
