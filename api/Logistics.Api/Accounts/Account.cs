namespace Logistics.Api.Accounts;

/// <summary>
/// A person who signs in to the pages: a shop's staff member, a courier or an operator. It carries the same role and
/// subject (shop id, courier id, "operator") as an API key, so the endpoints authorise it through the same caller.
/// </summary>
public sealed class Account
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Email { get; set; }

    public string NormalizedEmail { get; set; } = "";

    public string? PasswordHash { get; set; }

    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");

    public required string Role { get; init; }

    public required string SubjectId { get; init; }

    public int AccessFailedCount { get; set; }

    public DateTimeOffset? LockoutEnd { get; set; }

    /// <summary>Set by an operator (or the person's shop): the account signs in no more and its sessions end.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The network the person works in (as a key's).</summary>
    public string Network { get; init; } = Application.Networks.NetworkIds.Default;
}
