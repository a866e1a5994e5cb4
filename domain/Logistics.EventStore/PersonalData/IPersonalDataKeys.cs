namespace Logistics.EventStore.PersonalData;

/// <summary>
/// One encryption key per person. Events hold personal data only sealed with that key, so deleting the key
/// erases the data everywhere it was written, without rewriting any event.
/// </summary>
public interface IPersonalDataKeys
{
    /// <summary>The person's key, created on first use. Throws <see cref="PersonErasedException"/> after erasure.</summary>
    byte[] GetOrCreate(string personId);

    /// <summary>The person's key, or null when the person was erased (or never had data).</summary>
    byte[]? Find(string personId);

    /// <summary>Deletes the key for good. Idempotent.</summary>
    Task EraseAsync(string personId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Fetches these people's keys at once, so that reading many events (a rebuild) does not look them up one by one.
    /// An optimisation only: <see cref="Find"/> must work without it.
    /// </summary>
    Task PreloadAsync(IReadOnlyCollection<string> personIds, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>New personal data cannot be written for a person whose data was erased.</summary>
public sealed class PersonErasedException : Exception
{
    public PersonErasedException(string personId)
        : base($"The personal data of {personId} was erased on request; it cannot be written again under that id.")
    {
    }

    public PersonErasedException()
    {
    }

    public PersonErasedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
