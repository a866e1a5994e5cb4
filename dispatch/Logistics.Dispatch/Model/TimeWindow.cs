namespace Logistics.Dispatch.Model;

/// <summary>When service may start: from <see cref="Open"/> to <see cref="Close"/>, both inclusive, in the problem's time unit.</summary>
public readonly record struct TimeWindow(double Open, double Close)
{
    public static TimeWindow Always => new(0, double.MaxValue / 4);
}
