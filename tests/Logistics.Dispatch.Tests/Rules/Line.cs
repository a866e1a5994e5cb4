using Logistics.Dispatch.Model;
using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Tests.Rules;

/// <summary>
/// Hand-made problems on a line: the depot at x = 0, places at x = 10, 40, 50, 60; profile 0 (a cargo bike) drives 1
/// unit of distance per time unit, profile 1 (a van) 2. One request from x = 10 to x = 40 by default, service 10 at each.
/// </summary>
internal static class Line
{
    public static EuclideanTravelMatrix Travel { get; } = new([(0, 0), (10, 0), (40, 0), (50, 0), (60, 0)], [1.0, 2.0]);

    public static Stop At(int location, double open = 0, double close = 1000, double service = 10) => new(location, new TimeWindow(open, close), service);

    public static Vehicle Bike(double close = 1000) => new(0, 0, new TimeWindow(0, close), 10, 0);

    public static Vehicle Van(double close = 1000) => new(0, 0, new TimeWindow(0, close), 10, 1);

    public static ProblemData OneRequest(Vehicle vehicle, Stop? pickup = null, Stop? delivery = null, Objective? objective = null) =>
        new(Travel, [pickup ?? At(1), delivery ?? At(2)], [new Request(0, 1, 1)], [vehicle], objective ?? Objective.Priced);
}
