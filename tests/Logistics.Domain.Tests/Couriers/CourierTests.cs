using Logistics.Domain.Couriers;

namespace Logistics.Domain.Tests.Couriers;

public class CourierTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 7, 0, 0, TimeSpan.Zero);
    private static readonly CourierId Id = new("c-ana");
    private static readonly GeoPoint Depot = new(47.3900, 0.6900);
    private static readonly CourierRegistered Registered = new(Id, "Ana", Vehicle.CargoBike, 12, T0);
    private static readonly ShiftStarted Started = new(Id, Depot, T0.AddHours(1));

    private static DeciderSpec<Courier, CourierCommand, CourierEvent> Given(params CourierEvent[] history) =>
        new DeciderSpec<Courier, CourierCommand, CourierEvent>(CourierDecider.Decide, Courier.Evolve, Courier.Initial).Given(history);

    private static RegisterCourier Register => new(Id, "Ana", Vehicle.CargoBike, 12, T0);

    [Fact]
    public void GivenNothing_WhenRegisterCourier_ThenOffShift()
    {
        var spec = Given().When(Register);

        spec.Then(Registered);
        Assert.Equal(new CourierDetails(Id, "Ana", Vehicle.CargoBike, 12, T0), Assert.IsType<Courier.OffShift>(spec.ThenState()).Details);
    }

    [Fact]
    public void GivenNothing_WhenRegisterCourierWithNoCapacity_ThenRefused() =>
        Given().When(Register with { CapacityUnits = 0 }).ThenRefused("courier.capacity-invalid");

    [Fact]
    public void GivenNothing_WhenRegisterCourierWithoutName_ThenRefused() =>
        Given().When(Register with { Name = "" }).ThenRefused("courier.name-missing");

    [Fact]
    public void GivenRegistered_WhenRegisterCourierAgainIdentically_ThenNothingHappens() =>
        Given(Registered).When(Register with { Now = T0.AddMinutes(1) }).Then();

    [Fact]
    public void GivenRegistered_WhenRegisterCourierWithAnotherVehicle_ThenRefused() =>
        Given(Registered).When(Register with { Vehicle = Vehicle.Van }).ThenRefused("courier.already-registered");

    [Fact]
    public void GivenOffShift_WhenStartShift_ThenOnShiftFromThatPoint()
    {
        var spec = Given(Registered).When(new StartShift(Depot, T0.AddHours(1)));

        spec.Then(Started);
        var onShift = Assert.IsType<Courier.OnShift>(spec.ThenState());
        Assert.Equal(Depot, onShift.StartLocation);
        Assert.Equal(T0.AddHours(1), onShift.Since);
    }

    [Fact]
    public void GivenOnShift_WhenStartShiftAgain_ThenNothingHappens() =>
        Given(Registered, Started).When(new StartShift(null, T0.AddHours(2))).Then();

    [Fact]
    public void GivenOnShift_WhenEndShift_ThenOffShift() =>
        Given(Registered, Started).When(new EndShift(T0.AddHours(8))).Then(new ShiftEnded(Id, T0.AddHours(8)));

    [Fact]
    public void GivenOffShift_WhenEndShift_ThenNothingHappens() =>
        Given(Registered).When(new EndShift(T0.AddHours(8))).Then();

    [Fact]
    public void GivenNothing_WhenStartShift_ThenRefused() =>
        Given().When(new StartShift(null, T0)).ThenRefused("courier.not-registered");

    [Fact]
    public void GivenOnShift_WhenDeactivateCourier_ThenTheShiftEndsFirst() =>
        Given(Registered, Started)
            .When(new DeactivateCourier("left the cooperative", T0.AddHours(3)))
            .Then(new ShiftEnded(Id, T0.AddHours(3)), new CourierDeactivated(Id, "left the cooperative", T0.AddHours(3)));

    [Fact]
    public void GivenOffShift_WhenDeactivateCourier_ThenDeactivated() =>
        Given(Registered).When(new DeactivateCourier("left", T0.AddDays(1))).Then(new CourierDeactivated(Id, "left", T0.AddDays(1)));

    [Fact]
    public void GivenDeactivated_WhenStartShift_ThenRefused() =>
        Given(Registered, new CourierDeactivated(Id, "left", T0.AddDays(1))).When(new StartShift(Depot, T0.AddDays(2))).ThenRefused("courier.deactivated");
}
