using Logistics.Application.ReadSide;
using Logistics.Application.Streams;
using Logistics.Domain.Parcels;
using Logistics.EventStore.PersonalData;

namespace Logistics.Application.Parcels;

/// <summary>
/// A recipient's right to erasure: their key is deleted (every event and message sealed with it becomes unreadable,
/// history replays them as erased), and each of their parcels records the erasure, which the read models follow by
/// forgetting the person too.
/// </summary>
public sealed class RecipientErasure(IPersonalDataKeys keys, ParcelQueries parcels, EventStreams streams)
{
    /// <summary>Erases a person; returns how many parcels recorded it.</summary>
    public async Task<int> EraseAsync(string personId, CommandContext context, CancellationToken cancellationToken = default)
    {
        await keys.EraseAsync(personId, cancellationToken);
        var theirs = await parcels.OfPersonAsync(personId, cancellationToken);
        foreach (var parcel in theirs)
        {
            await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new EraseRecipient(streams.Clock.GetUtcNow()), context, cancellationToken: cancellationToken);
        }

        return theirs.Count;
    }
}
