using Logistics.Application.ReadSide;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Logistics.EventStore.PersonalData;

namespace Logistics.Application.Parcels;

/// <summary>
/// A recipient's right to erasure: the erasure is first written to the <see cref="ErasureLedger"/> (outside the
/// database), then their key is deleted (every event and message sealed with it becomes unreadable, history replays
/// them as erased), what matched their parcels for a shared pickup code is forgotten, and each of their parcels
/// records the erasure, which the read models follow by forgetting the person too. <see cref="ReapplyLedgerAsync"/> runs the ledger again at start, so a restored backup stays erased.
/// </summary>
public sealed class RecipientErasure(IPersonalDataKeys keys, ParcelQueries parcels, EventStreams streams, ErasureLedger ledger, SharedCodes shared)
{
    /// <summary>Erases a person; returns how many parcels recorded it.</summary>
    public async Task<int> EraseAsync(string personId, CommandContext context, CancellationToken cancellationToken = default)
    {
        await ledger.AppendAsync(personId, cancellationToken);
        return await ApplyAsync(personId, context, cancellationToken);
    }

    /// <summary>Erases the recipient of a parcel (and so every parcel of theirs); unknown parcel: not found.</summary>
    public async Task<int> EraseRecipientOfAsync(ParcelId parcel, CommandContext context, CancellationToken cancellationToken = default)
    {
        var (state, _) = await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(parcel), cancellationToken);
        var person = state is Parcel.Known known ? known.Details.Recipient.Person : throw Refusal.NotFound($"There is no parcel {parcel}.");
        return await EraseAsync(person.Value, context, cancellationToken);
    }

    /// <summary>
    /// Applies again every erasure of the ledger whose person still has a key here (a database restored from a backup
    /// taken before it, or a crash between the ledger and the database). Returns how many people it erased again.
    /// </summary>
    public async Task<int> ReapplyLedgerAsync(CancellationToken cancellationToken = default)
    {
        var erased = await ledger.ReadAsync(cancellationToken);
        await keys.PreloadAsync(erased, cancellationToken);
        var again = erased.Where(person => keys.Find(person) is not null).ToList();
        var context = new CommandContext(new Actor(Roles.System, "erasure-ledger"));
        foreach (var person in again)
        {
            await ApplyAsync(person, context, cancellationToken);
        }

        return again.Count;
    }

    private async Task<int> ApplyAsync(string personId, CommandContext context, CancellationToken cancellationToken)
    {
        // The person's key is the deployment's, not a network's: every parcel of theirs records the erasure, in
        // whichever network (the endpoint checked that the asking network knows the person).
        context = new CommandContext(context.Actor with { Network = null }, context.IdempotencyKey, context.CorrelationId, context.CausationId);
        await keys.EraseAsync(personId, cancellationToken);
        var theirs = await parcels.OfPersonAsync(personId, null, cancellationToken);
        // The keyed hash of their phone that matched their parcels for a shared code goes too.
        await shared.ForgetAsync(theirs.Select(p => p.Value), cancellationToken);
        foreach (var parcel in theirs)
        {
            await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new EraseRecipient(streams.Clock.GetUtcNow()), context, cancellationToken: cancellationToken);
        }

        return theirs.Count;
    }
}
