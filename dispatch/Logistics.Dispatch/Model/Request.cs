namespace Logistics.Dispatch.Model;

/// <summary>
/// A parcel to carry: from its <see cref="Pickup"/> stop to its <see cref="Delivery"/> stop, on one vehicle.
/// Without a pickup the load is on board from the vehicle's start (a Solomon customer, or a parcel loaded at the depot).
/// Stops are indices into <see cref="ProblemData.Stops"/>; each stop belongs to exactly one request.
/// <see cref="Vehicles"/>, when given, restricts which vehicles may carry it (a parcel already on board stays
/// with its courier: no pickup, and only that courier allowed).
/// </summary>
public sealed record Request(int? Pickup, int Delivery, int Demand, string? Name = null, IReadOnlyList<int>? Vehicles = null);
