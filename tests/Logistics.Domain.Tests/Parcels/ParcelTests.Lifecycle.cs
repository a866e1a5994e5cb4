using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    /// <summary>Runs every command through Decide and the result through Evolve, as the API does, to a final state.</summary>
    private static (Parcel State, List<ParcelEvent> History) Run(params ParcelCommand[] commands)
    {
        var state = Parcel.Initial;
        var history = new List<ParcelEvent>();
        foreach (var command in commands)
        {
            var events = ParcelDecider.Decide(command, state);
            history.AddRange(events);
            state = events.Aggregate(state, Parcel.Evolve);
        }

        return (state, history);
    }

    [Fact]
    public void GivenAFullLockerLifecycle_WhenReplayed_ThenFoldGivesTheSameCollectedState()
    {
        var (state, history) = Run(
            new RegisterParcel(Id, Tracking, Shop, Recipient, ParcelSize.M, ToLocker, T0),
            new DropAtLocker(DropLocker, 4, T0.AddMinutes(30)),
            new PickUp(Courier, T0.AddHours(1)),
            new Deposit(Locker, 7, CodeHash, CollectBy, RemindAt, CollectBy, DepositedAt),
            new RecordWrongCode(DepositedAt.AddHours(1)),
            new SendReminder(RemindAt),
            new ExtendDeadline(CollectBy.AddDays(1), RemindAt.AddHours(1)),
            new Collect(CollectBy.AddHours(3)));

        Assert.Equal(
            ["ParcelRegistered", "ParcelDroppedAtLocker", "ParcelPickedUp", "ParcelDeposited", "WrongCodeEntered", "ReminderSent", "CollectionDeadlineExtended", "ParcelCollected"],
            history.Select(e => e.GetType().Name));
        Assert.All(history, e => Assert.Equal(Id, e.ParcelId));
        Assert.Equal(state, Parcel.Fold(history));
        var collected = Assert.IsType<Parcel.Collected>(state);
        Assert.Equal(new CollectionPoint.InLocker(Locker, 7), collected.Point);
        Assert.Equal(CollectBy.AddHours(3), collected.At);
    }

    [Fact]
    public void GivenAnUncollectedParcel_WhenReplayedToItsReturn_ThenReturnedToItsShop()
    {
        var (state, history) = Run(
            new RegisterParcel(Id, Tracking, Shop, Recipient, ParcelSize.S, ToRelay, T0),
            new PickUp(Courier, T0.AddHours(1)),
            new DepositAtRelay(RelayShop, CodeHash, CollectBy, RemindAt, CollectBy, DepositedAt),
            new SendReminder(RemindAt),
            new Expire(CollectBy),
            new PickUp(OtherCourier, CollectBy.AddHours(1)),
            new ReturnToShop(CollectBy.AddHours(2)));

        Assert.Equal(state, Parcel.Fold(history));
        var returned = Assert.IsType<Parcel.Returned>(state);
        Assert.Equal(OtherCourier, returned.Courier);
    }

    [Fact]
    public void GivenAFailedHomeDelivery_WhenReplayed_ThenCollectedFromTheRedirectLocker()
    {
        var (state, history) = Run(
            new RegisterParcel(Id, Tracking, Shop, Recipient, ParcelSize.L, ToHome, T0),
            new PickUp(Courier, T0.AddHours(5)),
            new FailHomeDelivery(Courier, "nobody home", OtherLocker, T0.AddHours(6)),
            new Deposit(OtherLocker, 2, CodeHash, CollectBy, RemindAt, CollectBy, T0.AddHours(7)),
            new Collect(T0.AddHours(9)));

        Assert.Equal(state, Parcel.Fold(history));
        Assert.Equal(new CollectionPoint.InLocker(OtherLocker, 2), Assert.IsType<Parcel.Collected>(state).Point);
    }

    [Fact]
    public void GivenAnEventThatDoesNotFitTheState_WhenEvolved_ThenTheStateIsKept()
    {
        var registered = Parcel.Fold([Registered()]);

        Assert.Same(registered, Parcel.Evolve(registered, new ParcelCollected(Id, Locker, 7, null, T0)));
    }
}
