using Logistics.Domain.Lockers;

namespace Logistics.Domain.Tests.Lockers;

public partial class LockerTests
{
    private static RegisterLocker Register(params CompartmentSpec[] layout) =>
        new(Id, "Les Halles", Location, "Place Gaston Pailhou, Tours", layout.Length == 0 ? Layout : layout, T0);

    [Fact]
    public void GivenNothing_WhenRegisterLocker_ThenRegisteredWithEveryCompartmentFreeAndClosed()
    {
        var registered = Assert.IsType<LockerRegistered>(Assert.Single(Decide(Register())));

        // The compartment list is compared apart: records compare lists by reference.
        Assert.Equal(Registered() with { Compartments = Layout }, registered with { Compartments = Layout });
        Assert.Equal(Layout, registered.Compartments);
        var state = Assert.IsType<Locker.Registered>(Given().When(Register()).ThenState());
        Assert.Equal(6, state.Compartments.Count);
        Assert.All(state.Compartments.Values, c => Assert.True(c.IsFree && !c.DoorOpen));
        Assert.False(state.Online);
    }

    [Fact]
    public void GivenNothing_WhenRegisterLockerWithUnorderedCompartments_ThenStoredInNumberOrder()
    {
        var registered = Assert.IsType<LockerRegistered>(Assert.Single(Decide(Register(Layout[2], Layout[0], Layout[1]))));

        Assert.Equal([1, 2, 3], registered.Compartments.Select(c => c.Number));
    }

    [Fact]
    public void GivenNothing_WhenRegisterLockerWithoutCompartments_ThenRefused() =>
        Given().When(Register() with { Compartments = [] }).ThenRefused("locker.no-compartments");

    [Fact]
    public void GivenNothing_WhenRegisterLockerWithACompartmentTwice_ThenRefused() =>
        Given().When(Register(Layout[0], Layout[0] with { Size = ParcelSize.L })).ThenRefused("locker.duplicate-compartment");

    [Fact]
    public void GivenNothing_WhenRegisterLockerWithCompartmentZero_ThenRefused() =>
        Given().When(Register(new CompartmentSpec(0, ParcelSize.S, false))).ThenRefused("locker.invalid-compartment-number");

    [Fact]
    public void GivenNothing_WhenRegisterLockerWithoutName_ThenRefused() =>
        Given().When(Register() with { Name = "" }).ThenRefused("locker.name-missing");

    [Fact]
    public void GivenRegistered_WhenRegisterLockerAgainIdentically_ThenNothingHappens() =>
        Given(Registered()).When(Register() with { Now = At(5) }).Then();

    [Fact]
    public void GivenRegistered_WhenRegisterLockerWithAnotherLayout_ThenRefused() =>
        Given(Registered()).When(Register(Layout[0])).ThenRefused("locker.already-registered");

    [Fact]
    public void GivenNothing_WhenReserveCompartment_ThenRefused() =>
        Given().When(new ReserveCompartment(P1, ParcelSize.S, false, At(1))).ThenRefused("locker.not-registered");

    private static LockerEvent[] Decide(LockerCommand command) => LockerDecider.Decide(command, Locker.Initial);
}
