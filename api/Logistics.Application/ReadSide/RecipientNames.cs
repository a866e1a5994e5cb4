namespace Logistics.Application.ReadSide;

/// <summary>
/// What of a recipient's name people other than the shop see: the first name alone. A courier's round and a label
/// are read by everyone the parcel passes; the surname stays with the shop (and goes with erasure).
/// </summary>
public static class RecipientNames
{
    /// <summary>The first word of the name; null when erased (the read models' mark) or blank.</summary>
    public static string? FirstName(string name) =>
        name == Streams.DomainEvents.Erased ? null : name.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? first : null;
}
