namespace Logistics.Application.Streams;

/// <summary>
/// Who is acting: recorded on every event's metadata. <see cref="Network"/> is the network the actor belongs to: a
/// network's shop, courier, locker or operator acts on that network's streams only; a system step that follows an
/// event acts in the event's network; null (the schedulers, a federation operator) is bound to none.
/// </summary>
public sealed record Actor(string Kind, string Id, string? Network = null)
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

    /// <summary>The federation's operator: sees every network and its figures side by side, creates networks.</summary>
    public const string Federation = "federation";
    public const string System = "system";
}
