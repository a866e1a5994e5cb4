using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using static Logistics.Domain.Tests.Lockers.LockerTests;

namespace Logistics.Domain.Tests.Lockers;

public class LockerQueryTests
{
    private static readonly Locker.Registered Busy = State(
        Registered(),
        Reserved(1, P1),
        Occupied(3, P2),
        new CompartmentTakenOutOfService(Id, 5, "broken", At(1)));

    [Fact]
    public void FreeCountsBySizeCountEveryFreeCompartmentOnce() =>
        Assert.Equal(
            new Dictionary<ParcelSize, int> { [ParcelSize.S] = 1, [ParcelSize.M] = 1, [ParcelSize.L] = 1 },
            Busy.FreeCountsBySize());

    [Fact]
    public void FreeCountFittingCountsLargerCompartmentsToo()
    {
        Assert.Equal(3, Busy.FreeCountFitting(ParcelSize.S));
        Assert.Equal(1, Busy.FreeCountFitting(ParcelSize.L));
        Assert.True(Busy.HasRoomFor(ParcelSize.L));
    }

    [Fact]
    public void OccupancyIsTheShareOfInServiceCompartmentsTaken()
    {
        Assert.Equal(5, Busy.InServiceCount);
        Assert.Equal(1, Busy.OccupiedCount);
        Assert.Equal(1, Busy.ReservedCount);
        Assert.Equal(0.4, Busy.Occupancy, 6);
    }

    [Fact]
    public void CompartmentOfFindsReservedAndOccupiedParcels()
    {
        Assert.Equal(1, Busy.CompartmentOf(P1)?.Number);
        Assert.Equal(3, Busy.CompartmentOf(P2)?.Number);
        Assert.Null(Busy.CompartmentOf(new ParcelId("p-none")));
    }

    [Fact]
    public void SnapshotListsTheFreeSizesForRedirection()
    {
        var snapshot = LockerSnapshot.From(Busy);

        Assert.Equal(Id, snapshot.Id);
        Assert.Equal([ParcelSize.S, ParcelSize.M, ParcelSize.L], snapshot.FreeSizes);
    }
}
