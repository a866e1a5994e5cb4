using Logistics.Domain;
using Logistics.Domain.Couriers;
using Logistics.Domain.HomeBoxes;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.Domain.Shops;

namespace Logistics.Application.Streams;

/// <summary>An aggregate as a pair of pure functions plus where its stream lives.</summary>
public sealed record Decider<TCommand, TEvent, TState>(
    Func<TCommand, TState, TEvent[]> Decide, Func<TState, TEvent, TState> Evolve, TState Initial);

public static class Deciders
{
    public static readonly Decider<ParcelCommand, ParcelEvent, Parcel> Parcel = new(ParcelDecider.Decide, Domain.Parcels.Parcel.Evolve, Domain.Parcels.Parcel.Initial);
    public static readonly Decider<LockerCommand, LockerEvent, Locker> Locker = new(LockerDecider.Decide, Domain.Lockers.Locker.Evolve, Domain.Lockers.Locker.Initial);
    public static readonly Decider<ShopCommand, ShopEvent, Shop> Shop = new(ShopDecider.Decide, Domain.Shops.Shop.Evolve, Domain.Shops.Shop.Initial);
    public static readonly Decider<CourierCommand, CourierEvent, Courier> Courier = new(CourierDecider.Decide, Domain.Couriers.Courier.Evolve, Domain.Couriers.Courier.Initial);

    public static readonly Decider<HomeBoxCommand, HomeBoxEvent, HomeBox> HomeBox = new(HomeBoxDecider.Decide, Domain.HomeBoxes.HomeBox.Evolve, Domain.HomeBoxes.HomeBox.Initial);

    public static string Stream(ParcelId id) => StreamName.For(id);

    public static string Stream(LockerId id) => StreamName.For(id);

    public static string Stream(ShopId id) => StreamName.For(id);

    public static string Stream(CourierId id) => StreamName.For(id);

    public static string HomeBoxStream(LockerId id) => StreamName.HomeBoxOf(id);
}
