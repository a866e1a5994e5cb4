namespace Logistics.Domain;

/// <summary>Parcel and compartment sizes, ordered: a compartment fits a parcel when its size is at least the parcel's.</summary>
public enum ParcelSize
{
    S = 0,
    M = 1,
    L = 2,
}

public static class ParcelSizeExtensions
{
    /// <summary>Load units a parcel takes in a courier's vehicle (S = 1, M = 2, L = 4).</summary>
    public static int Units(this ParcelSize size) => size switch
    {
        ParcelSize.S => 1,
        ParcelSize.M => 2,
        ParcelSize.L => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Unknown parcel size."),
    };

    /// <summary>True when a compartment (or any container) of this size can hold a parcel of <paramref name="parcel"/> size.</summary>
    public static bool Fits(this ParcelSize container, ParcelSize parcel) => container >= parcel;
}
