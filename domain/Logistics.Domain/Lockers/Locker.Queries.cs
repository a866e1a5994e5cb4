namespace Logistics.Domain.Lockers;

// Questions the API, the read models and planning ask of a locker's state.
public abstract partial record Locker
{
    public sealed partial record Registered
    {
        /// <summary>Free compartments per exact size (every size present, zero included).</summary>
        public IReadOnlyDictionary<ParcelSize, int> FreeCountsBySize() =>
            Enum.GetValues<ParcelSize>().ToDictionary(size => size, FreeCount);

        /// <summary>Free compartments of exactly this size.</summary>
        public int FreeCount(ParcelSize size) => Compartments.Values.Count(c => c.IsFree && c.Size == size);

        /// <summary>Free compartments that can hold a parcel of this size (this size or larger).</summary>
        public int FreeCountFitting(ParcelSize size) => Compartments.Values.Count(c => c.IsFree && c.Size.Fits(size));

        public bool HasRoomFor(ParcelSize size) => Compartments.Values.Any(c => c.IsFree && c.Size.Fits(size));

        /// <summary>The sizes of the free compartments, one entry per compartment.</summary>
        public IReadOnlyList<ParcelSize> FreeSizes() => [.. Compartments.Values.Where(c => c.IsFree).Select(c => c.Size)];

        public int InServiceCount => Compartments.Values.Count(c => c.Status is not CompartmentStatus.OutOfService);

        public int OccupiedCount => Compartments.Values.Count(c => c.Status is CompartmentStatus.Occupied);

        public int ReservedCount => Compartments.Values.Count(c => c.Status is CompartmentStatus.Reserved);

        /// <summary>Share of in-service compartments that hold or await a parcel, from 0 to 1.</summary>
        public double Occupancy => InServiceCount == 0 ? 1 : (double)(OccupiedCount + ReservedCount) / InServiceCount;

        /// <summary>The compartment reserved for or holding this parcel, if any.</summary>
        public Compartment? CompartmentOf(ParcelId parcel) => Compartments.Values.FirstOrDefault(c => c.Parcel == parcel);

        /// <summary>
        /// The compartment a reservation would take: the smallest free one that fits, low-height first only when
        /// asked, then the lowest number.
        /// </summary>
        public Compartment? BestFreeFor(ParcelSize size, bool preferLowHeight) =>
            Compartments.Values
                .Where(c => c.IsFree && c.Size.Fits(size))
                .OrderBy(c => c.Size)
                .ThenBy(c => preferLowHeight && !c.LowHeight)
                .ThenBy(c => c.Number)
                .FirstOrDefault();

        public bool HasAlarm(AlarmKind kind, int? compartment = null) =>
            Alarms.Exists(a => a.Kind == kind && a.Compartment == compartment);
    }
}
