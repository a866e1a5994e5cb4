namespace Logistics.Lockers.Doors;

/// <summary>The lock coils of a bank, as the door controller sees them (a GPIO door bank in production).</summary>
public interface ICoilOutput
{
    void SetCoil(CompartmentId compartment, bool energised);
}
