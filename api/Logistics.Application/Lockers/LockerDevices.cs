using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Logistics.Domain;
using Logistics.LockerLink;
using Npgsql;

namespace Logistics.Application.Lockers;

/// <summary>
/// The core's side of each board: its registered key, its pickup-code key, the highest event stored, and the queue
/// of commands (increasing seq per board, kept until a result arrives or they expire).
/// </summary>
public sealed class LockerDevices(NpgsqlDataSource dataSource, CommandSigner signer, TimeProvider clock, TimeSpan? commandPoll = null)
{
    public static readonly TimeSpan DefaultCommandLifetime = TimeSpan.FromHours(1);

    /// <summary>The channel a queued command is announced on, with its locker as payload: every node's sessions hear it (<see cref="CommandWakeups"/>).</summary>
    public const string CommandChannel = "logistics_locker_commands"; // as named in EnqueueAsync's statement

    /// <summary>
    /// How often a board's session looks for queued commands without being woken: a safety net, as a command queued
    /// on this node wakes its session at once and one queued on another node through PostgreSQL's NOTIFY.
    /// </summary>
    public TimeSpan CommandPoll { get; } = commandPoll ?? TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _wake = new(StringComparer.Ordinal);

    /// <summary>Registers a board's public key (DER SubjectPublicKeyInfo, or null to register it later) and gives the locker its code key.</summary>
    public async Task RegisterAsync(LockerId locker, byte[]? publicKey, CancellationToken cancellationToken = default)
    {
        var previous = publicKey is null ? null : await PublicKeyAsync(locker.Value, cancellationToken);
        var codeKey = RandomNumberGenerator.GetBytes(32);
        await using (var command = dataSource.CreateCommand(
            """
            insert into locker_devices (locker_id, public_key, code_key) values ($1, $2, $3)
            on conflict (locker_id) do update set public_key = coalesce(excluded.public_key, locker_devices.public_key)
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = locker.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)publicKey ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = codeKey });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var stored = await CodeKeyAsync(locker, cancellationToken);
        await EnqueueAsync(locker, new CommandBody.SetCodeKey(stored!), TimeSpan.FromDays(30), cancellationToken);
        if (previous is not null && publicKey is not null && !previous.AsSpan().SequenceEqual(publicKey))
        {
            // Whoever holds the old key must not stay connected (sessions on other nodes see it at their next beat).
            KeyReplaced?.Invoke(locker.Value);
        }
    }

    /// <summary>Raised with the locker's id when its board's key was replaced by another.</summary>
    public event Action<string>? KeyReplaced;

    /// <summary>A board's P-256 public key as DER SubjectPublicKeyInfo, from PEM or base64 DER; null when blank or not such a key.</summary>
    public static byte[]? ParsePublicKey(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        using var key = ECDsa.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                key.ImportFromPem(text);
            }
            else
            {
                key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text.Trim()), out _);
            }

            return key.KeySize == 256 ? key.ExportSubjectPublicKeyInfo() : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    public async Task<byte[]?> PublicKeyAsync(string deviceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select public_key from locker_devices where locker_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = deviceId });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    public async Task<byte[]?> CodeKeyAsync(LockerId locker, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select code_key from locker_devices where locker_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = locker.Value });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <summary>The verifier a board checks a typed code against (null when the locker has no board registered).</summary>
    public async Task<byte[]?> VerifierAsync(LockerId locker, string secret, CancellationToken cancellationToken) =>
        await CodeKeyAsync(locker, cancellationToken) is { } key ? PickupCodeHash.Compute(key, secret) : null;

    /// <summary>Queues a command for a board (sent at once if it is connected, else when it connects, until it expires).</summary>
    public Task<string?> EnqueueAsync(LockerId locker, CommandBody body, TimeSpan? lifetime = null, CancellationToken cancellationToken = default) =>
        EnqueueAsync(locker, body, clock.GetUtcNow() + (lifetime ?? DefaultCommandLifetime), Guid.CreateVersion7().ToString("N"), cancellationToken);

    /// <summary>
    /// Queues a command once: queuing the same <paramref name="commandId"/> again (a step taken again after a crash)
    /// queues nothing more. Returns the command's id, or null when the locker has no board registered.
    /// </summary>
    public async Task<string?> EnqueueAsync(LockerId locker, CommandBody body, DateTimeOffset expiresAt, string commandId, CancellationToken cancellationToken = default)
    {
        using var activity = Telemetry.AppTelemetry.Source.StartActivity($"board command {body.GetType().Name}", System.Diagnostics.ActivityKind.Producer);
        activity?.SetTag("logistics.locker", locker.Value);
        activity?.SetTag("logistics.command.id", commandId);
        await using var command = dataSource.CreateCommand(
            """
            with next as (
                update locker_devices set command_seq = command_seq + 1
                where locker_id = $1 and not exists (select 1 from locker_commands where command_id = $2)
                returning command_seq),
            queued as (
                insert into locker_commands (locker_id, seq, command_id, body, expires_at, created_at)
                select $1, next.command_seq, $2, $3, $4, $5 from next
                returning seq)
            -- Heard by every node when the command commits: the one holding the board's socket sends it at once.
            select seq, pg_notify('logistics_locker_commands', $1) from queued
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = locker.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = commandId });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(body, LinkJson.Options) });
        command.Parameters.Add(new NpgsqlParameter { Value = expiresAt });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        try
        {
            if (await command.ExecuteScalarAsync(cancellationToken) is not null)
            {
                Wake(locker.Value);
                return commandId;
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The same step queued it at the same moment.
            return commandId;
        }

        // Queued before (a repeated step), or no board for this locker.
        await using var known = dataSource.CreateCommand("select 1 from locker_commands where command_id = $1");
        known.Parameters.Add(new NpgsqlParameter { Value = commandId });
        return await known.ExecuteScalarAsync(cancellationToken) is null ? null : commandId;
    }

    /// <summary>Commands still waiting for a result, in seq order, signed for sending.</summary>
    public async Task<IReadOnlyList<SignedCommand>> PendingAsync(string locker, long afterSeq, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select command_id, seq, expires_at, body from locker_commands
            where locker_id = $1 and status is null and seq > $2 and expires_at > $3
            order by seq limit 100
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = locker });
        command.Parameters.Add(new NpgsqlParameter { Value = afterSeq });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        var pending = new List<SignedCommand>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var body = JsonSerializer.Deserialize<CommandBody>(reader.GetString(3), LinkJson.Options)!;
            pending.Add(signer.Sign(new DeviceCommand(reader.GetString(0), locker, reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), body)));
        }

        return pending;
    }

    /// <summary>The id of a door command opening for a recipient: names its parcel, so the tracking page finds its outcome.</summary>
    public static string CollectionCommandId(ParcelId parcel, string unique) => $"collection:{parcel.Value}:{unique}";

    /// <summary>
    /// How the last door opened for the recipient of <paramref name="parcel"/> fared, as the customer reads it:
    /// opening (the board has not answered yet), opened, notOpened (refused, failed, or the board never answered in
    /// time); null when none was asked.
    /// </summary>
    public async Task<string?> CollectionDoorAsync(ParcelId parcel, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select status, expires_at from locker_commands where command_id like $1 order by created_at desc, seq desc limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = $"collection:{parcel.Value}:%" });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return reader.IsDBNull(0)
            ? reader.GetFieldValue<DateTimeOffset>(1) > clock.GetUtcNow() ? "opening" : "notOpened"
            : reader.GetString(0) == nameof(CommandStatus.Executed) ? "opened" : "notOpened";
    }

    public async Task MarkSentAsync(string locker, long seq, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("update locker_commands set sent_at = $3 where locker_id = $1 and seq = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = locker });
        command.Parameters.Add(new NpgsqlParameter { Value = seq });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> AckedSeqAsync(string locker, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select acked_seq from locker_devices where locker_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = locker });
        return (long)(await command.ExecuteScalarAsync(cancellationToken) ?? 0L);
    }

    /// <summary>
    /// The highest seq stored for a board, its row locked until <paramref name="transaction"/> ends: two sessions of one
    /// board (a reconnect overtaking the old one) store their batches one after the other, each seeing the other's.
    /// </summary>
    public static async Task<long?> LockAckedSeqAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string locker, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select acked_seq from locker_devices where locker_id = $1 for update", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = locker });
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    /// <summary>
    /// Stores the next device events of a board (gap-free after the acked seq, which the caller has locked with
    /// <see cref="LockAckedSeqAsync"/>) and moves the acked seq to the last, in the caller's transaction.
    /// </summary>
    public async Task StoreEventsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string locker, IReadOnlyList<StoredDeviceEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        await using (var insert = new NpgsqlCommand(
            """
            insert into locker_device_events (locker_id, seq, kind, body, received_at)
            select $1, e.seq, e.kind, e.body::jsonb, $5 from unnest($2::bigint[], $3::text[], $4::text[]) as e(seq, kind, body)
            """,
            connection,
            transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = locker });
            insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Seq).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Kind).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Body).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = now });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var advance = new NpgsqlCommand(
            "update locker_devices set acked_seq = $2, last_seen_at = $3 where locker_id = $1 and acked_seq = $4", connection, transaction);
        advance.Parameters.Add(new NpgsqlParameter { Value = locker });
        advance.Parameters.Add(new NpgsqlParameter { Value = events[^1].Seq });
        advance.Parameters.Add(new NpgsqlParameter { Value = now });
        advance.Parameters.Add(new NpgsqlParameter { Value = events[0].Seq - 1 });
        if (await advance.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new InvalidOperationException($"Locker {locker}'s acked seq moved under a batch from {events[0].Seq}.");
        }
    }

    /// <summary>Records a command's result in the caller's transaction (the first result counts).</summary>
    public async Task RecordResultAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string locker, CommandStatus status, string commandId, string? detail, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "update locker_commands set status = $3, detail = $4, result_at = $5 where locker_id = $1 and command_id = $2 and status is null", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = locker });
        command.Parameters.Add(new NpgsqlParameter { Value = commandId });
        command.Parameters.Add(new NpgsqlParameter { Value = status.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)detail ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);

        // The board's answer to an installRelease command: it is fetching the release, or it will not.
        await using var update = new NpgsqlCommand(
            """
            update locker_devices set update_state = case when $2 = 'Executed' then 'installing' else 'refused' end,
                update_detail = case when $2 = 'Executed' then null else coalesce($3, $2) end, update_at = $4
            where locker_id = $1 and update_command = $5 and update_state = 'requested'
            """,
            connection,
            transaction);
        update.Parameters.Add(new NpgsqlParameter { Value = locker });
        update.Parameters.Add(new NpgsqlParameter { Value = status.ToString() });
        update.Parameters.Add(new NpgsqlParameter { Value = (object?)detail ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        update.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        update.Parameters.Add(new NpgsqlParameter { Value = commandId });
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records the program version a board's hello reported; when it is the release the board was asked to install,
    /// that update is done (the new version reached the core, so the board keeps it).
    /// </summary>
    public async Task ReportVersionAsync(string locker, string? version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            update locker_devices set program_version = $2, program_reported_at = $3,
                update_state = case when update_version = $2 and update_state in ('requested', 'installing', 'installed') then 'updated' else update_state end,
                update_at = case when update_version = $2 and update_state in ('requested', 'installing', 'installed') then $3 else update_at end
            where locker_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = locker });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)version ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// What a board reported of an update (installed, refused, rolled back), in its batch's transaction: it moves the
    /// update the operator asked for when it names that release. A report resent after the new version said hello
    /// leaves the update done.
    /// </summary>
    public async Task RecordUpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string locker, DevicePayload payload, CancellationToken cancellationToken)
    {
        var (version, state, detail, from) = payload switch
        {
            DevicePayload.UpdateInstalled p => (p.ToVersion, "installed", null, "'requested', 'installing'"),
            DevicePayload.UpdateRefused p => (p.Version, "refused", p.Reason, "'requested', 'installing', 'installed'"),
            DevicePayload.UpdateRolledBack p => (p.FailedVersion, "rolledBack", p.Reason, "'requested', 'installing', 'installed', 'updated'"),
            _ => throw new ArgumentException($"{payload.GetType().Name} is not an update report.", nameof(payload)),
        };
        await using var command = new NpgsqlCommand(
            $"""
            update locker_devices set update_state = $3, update_detail = $4, update_at = $5
            where locker_id = $1 and update_version = $2 and update_state in ({from})
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = locker });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        command.Parameters.Add(new NpgsqlParameter { Value = state });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)detail ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A task that completes when a command is queued for this board.</summary>
    public Task NextCommand(string locker) =>
        _wake.GetOrAdd(locker, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Wakes this node's session of a board, if it has one (a command was queued on another node).</summary>
    public void WakeLocal(string locker) => Wake(locker);

    /// <summary>Wakes every session on this node: after the NOTIFY listener reconnects, announcements may have been missed.</summary>
    public void WakeAll()
    {
        foreach (var locker in _wake.Keys)
        {
            Wake(locker);
        }
    }

    private void Wake(string locker)
    {
        if (_wake.TryRemove(locker, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}

/// <summary>A device event as stored: its seq, its kind (the payload's type, or "Unknown") and its JSON.</summary>
public sealed record StoredDeviceEvent(long Seq, string Kind, string Body)
{
    public static StoredDeviceEvent Of(DeviceEvent e) => new(e.Seq, e.Payload.GetType().Name, JsonSerializer.Serialize(e, LinkJson.Options));

    /// <summary>An event frame the core cannot read: kept as the board sent it (up to 64 KiB).</summary>
    public static StoredDeviceEvent Unknown(long seq, string frame) =>
        new(seq, "Unknown", JsonSerializer.Serialize(new { unreadable = frame.Length > 64 * 1024 ? frame[..(64 * 1024)] : frame }));
}
