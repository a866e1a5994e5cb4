namespace Logistics.Dispatch.Model;

/// <summary>
/// A place where a vehicle serves one side of a request: its location in the travel matrix, its window and its service time.
/// <see cref="Due"/> makes the window soft from then on: service may still start until the window closes, at
/// <see cref="LatenessPrice"/> per time unit late (a parcel promised for today is planned late rather than left out).
/// <see cref="Access"/>, when given, names the travel profiles that may serve it and when (a pedestrian street:
/// cargo bikes any time, vans only in the delivery hours).
/// </summary>
public sealed record Stop(int Location, TimeWindow Window, double ServiceTime)
{
    public double? Due { get; init; }

    public double LatenessPrice { get; init; }

    public IReadOnlyList<ProfileAccess>? Access { get; init; }
}

/// <summary>A travel profile allowed at a stop, and when its service may start there (null: whenever the stop's window allows).</summary>
public sealed record ProfileAccess(int Profile, TimeWindow? During = null);
