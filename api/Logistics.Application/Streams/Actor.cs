namespace Logistics.Application.Streams;

/// <summary>Who is acting: recorded on every event's metadata.</summary>
public sealed record Actor(string Kind, string Id)
{
    public static readonly Actor System = new(Roles.System, "system");

    public static Actor Customer(string trackingId) => new(Roles.Customer, trackingId);
}

public static class Roles
{
    public const string Operator = "operator";
    public const string Shop = "shop";

    /// <summary>A shop's web store (a machine): sends orders in and manages the shop's webhooks; its subject is the shop.</summary>
    public const string WebStore = "webstore";
    public const string Courier = "courier";
    public const string Locker = "locker";
    public const string Customer = "customer";
    public const string System = "system";
}
