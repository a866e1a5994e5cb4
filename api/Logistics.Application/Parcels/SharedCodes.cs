using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Npgsql;

namespace Logistics.Application.Parcels;

/// <summary>
/// One code for all of a recipient's parcels at a locker, whichever shops sent them. Who a parcel is for is its
/// <see cref="PickupCodes.RecipientKey"/> (a keyed hash of the phone's last digits, so the same phone matches whatever its prefix and the phone
/// is stored nowhere new); a parcel deposited for someone who already has parcels waiting at that locker gets a new
/// code that replaces theirs (the core keeps no code in clear, so it cannot hand out the old one again): each of their
/// parcels is re-keyed with it (<see cref="PickupCodeReissued"/>, which also re-provisions the board, so the old code
/// stops opening anything), and the message lists them all. A parcel belongs to the share while its code is still the
/// one it got with the share (a code reissued for it alone takes it out).
/// </summary>
public sealed class SharedCodes(NpgsqlDataSource dataSource, EventStreams streams)
{
    /// <summary>
    /// Held while a deposit forms or joins a share, so two deposits for one recipient at one locker take turns (a
    /// session lock: a crashed node's connection closes and lets go of it).
    /// </summary>
    public async Task<IAsyncDisposable> TurnAsync(LockerId locker, byte[] recipientKey, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var take = new NpgsqlCommand("select pg_advisory_lock(hashtextextended('code-share:' || $1 || ':' || encode($2, 'hex'), 0))", connection);
            take.Parameters.Add(new NpgsqlParameter { Value = locker.Value });
            take.Parameters.Add(new NpgsqlParameter { Value = recipientKey });
            await take.ExecuteNonQueryAsync(cancellationToken);
            return new Turn(connection, locker, recipientKey);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The recipient's parcels still waiting at the locker whose code may be replaced: in the locker, not blocked, not
    /// expired. Rows of parcels that no longer wait there are forgotten on the way.
    /// </summary>
    public async Task<IReadOnlyList<Waiting>> WaitingForAsync(LockerId locker, byte[] recipientKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync("select parcel_id, code_hash from pickup_code_shares where locker_id = $1 and recipient_key = $2", cancellationToken, locker.Value, recipientKey);
        var waiting = new List<Waiting>();
        var gone = new List<string>();
        foreach (var (parcel, _) in rows)
        {
            if (await StillWaitingAsync(new ParcelId(parcel), locker, now, cancellationToken) is { } state)
            {
                waiting.Add(new Waiting(new ParcelId(parcel), state));
            }
            else
            {
                gone.Add(parcel);
            }
        }

        if (gone.Count > 0)
        {
            await ForgetAsync(gone, cancellationToken);
        }

        return waiting;
    }

    /// <summary>
    /// The other parcels a parcel's code opens, still waiting in the same locker with that same code (none when the
    /// parcel's code is its own).
    /// </summary>
    public async Task<IReadOnlyList<Waiting>> SharingWithAsync(ParcelId parcel, Parcel.AwaitingCollection state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (state.Point is not CollectionPoint.InLocker at)
        {
            return [];
        }

        var rows = await RowsAsync(
            "select parcel_id, code_hash from pickup_code_shares where share_id = (select share_id from pickup_code_shares where parcel_id = $1)", cancellationToken, parcel.Value);
        if (!rows.Contains((parcel.Value, state.Code.Hash)))
        {
            return [];
        }

        var others = new List<Waiting>();
        foreach (var (other, hash) in rows.Where(r => r.Parcel != parcel.Value))
        {
            if (await StillWaitingAsync(new ParcelId(other), at.Locker, now, cancellationToken) is { } waiting && waiting.Code.Hash == hash)
            {
                others.Add(new Waiting(new ParcelId(other), waiting));
            }
        }

        return others;
    }

    /// <summary>How many doors the parcel's code opens now (more than one when it is shared); 0 when it waits for no code.</summary>
    public async Task<int> DoorsOpenedByCodeOfAsync(ParcelId parcel, CancellationToken cancellationToken) =>
        (await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(parcel), cancellationToken)).State is Parcel.AwaitingCollection waiting
            ? 1 + (await SharingWithAsync(parcel, waiting, streams.Clock.GetUtcNow(), cancellationToken)).Count
            : 0;

    /// <summary>Records a share (a parcel alone is a share of one), in the transaction of the deposit that made it.</summary>
    public static async Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string shareId, LockerId locker, byte[] recipientKey, IEnumerable<(ParcelId Parcel, string CodeHash)> members, CancellationToken cancellationToken)
    {
        foreach (var (parcel, hash) in members)
        {
            await using var command = new NpgsqlCommand(
                """
                insert into pickup_code_shares (parcel_id, locker_id, recipient_key, share_id, code_hash) values ($1, $2, $3, $4, $5)
                on conflict (parcel_id) do update set locker_id = excluded.locker_id, recipient_key = excluded.recipient_key, share_id = excluded.share_id, code_hash = excluded.code_hash
                """,
                connection,
                transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = parcel.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = locker.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = recipientKey });
            command.Parameters.Add(new NpgsqlParameter { Value = shareId });
            command.Parameters.Add(new NpgsqlParameter { Value = hash });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Forgets parcels (collected, gone back, or their recipient erased): nothing about their recipient stays.</summary>
    public async Task ForgetAsync(IEnumerable<string> parcels, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("delete from pickup_code_shares where parcel_id = any($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = parcels.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<Parcel.AwaitingCollection?> StillWaitingAsync(ParcelId parcel, LockerId locker, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(parcel), cancellationToken)).State is Parcel.AwaitingCollection
        {
            Point: CollectionPoint.InLocker at, Code.Blocked: false,
        } waiting && at.Locker == locker && waiting.Code.ExpiresAt > now && waiting.CollectBy > now
            ? waiting
            : null;

    private async Task<List<(string Parcel, string Hash)>> RowsAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var rows = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>A parcel of the recipient's waiting in the locker.</summary>
    public sealed record Waiting(ParcelId Parcel, Parcel.AwaitingCollection State);

    private sealed class Turn(NpgsqlConnection connection, LockerId locker, byte[] recipientKey) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var release = new NpgsqlCommand("select pg_advisory_unlock(hashtextextended('code-share:' || $1 || ':' || encode($2, 'hex'), 0))", connection);
                release.Parameters.Add(new NpgsqlParameter { Value = locker.Value });
                release.Parameters.Add(new NpgsqlParameter { Value = recipientKey });
                await release.ExecuteNonQueryAsync();
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
