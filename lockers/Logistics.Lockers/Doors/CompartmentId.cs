using System.Globalization;

namespace Logistics.Lockers.Doors;

/// <summary>A compartment of this locker, numbered as on its door label.</summary>
public readonly record struct CompartmentId(int Value)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
