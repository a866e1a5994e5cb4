using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Logistics.EventStore.PersonalData;

/// <summary>Per-person keys in memory, for unit tests.</summary>
public sealed class InMemoryPersonalDataKeys : IPersonalDataKeys
{
    private readonly ConcurrentDictionary<string, byte[]?> _keys = new(StringComparer.Ordinal);

    public byte[] GetOrCreate(string personId) =>
        _keys.GetOrAdd(personId, _ => RandomNumberGenerator.GetBytes(32)) ?? throw new PersonErasedException(personId);

    public byte[]? Find(string personId) => _keys.GetValueOrDefault(personId);

    public Task EraseAsync(string personId, CancellationToken cancellationToken = default)
    {
        _keys[personId] = null;
        return Task.CompletedTask;
    }
}
