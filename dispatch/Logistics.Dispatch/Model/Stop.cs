namespace Logistics.Dispatch.Model;

/// <summary>A place where a vehicle serves one side of a request: its location in the travel matrix, its window and its service time.</summary>
public sealed record Stop(int Location, TimeWindow Window, double ServiceTime);
