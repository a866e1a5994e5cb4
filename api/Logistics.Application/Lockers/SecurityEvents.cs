using Npgsql;

namespace Logistics.Application.Lockers;

/// <summary>Something a board said that it may not say, kept for the operator.</summary>
public sealed record SecurityEvent(long Id, string LockerId, string Kind, long? Seq, string Detail, DateTimeOffset At);

/// <summary>
/// The record of what boards said beyond their word (<see cref="SecurityEventKinds"/>): the refused or corrected event
/// is still stored and acknowledged (the board must not resend it forever); this says why it was not believed.
/// </summary>
public sealed class SecurityEvents(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<SecurityEvents> logger)
{
    public async Task RecordAsync(string locker, string kind, long? seq, string detail, CancellationToken cancellationToken)
    {
        logger.LogWarning("Locker {Locker} security event {Kind} at seq {Seq}: {Detail}", locker, kind, seq, detail);
        await using var command = dataSource.CreateCommand("insert into security_events (locker_id, kind, seq, detail, at) values ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter { Value = locker });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)seq ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = detail.Length > 500 ? detail[..500] : detail });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records <paramref name="findings"/> in the caller's transaction (a batch of a board's events), in order.</summary>
    public async Task RecordAsync(
        string locker, IReadOnlyList<SecurityFinding> findings, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (findings.Count == 0)
        {
            return;
        }

        foreach (var finding in findings)
        {
            logger.LogWarning("Locker {Locker} security event {Kind} at seq {Seq}: {Detail}", locker, finding.Kind, finding.Seq, finding.Detail);
        }

        // with ordinality keeps the ids in the order the board said them.
        await using var command = new NpgsqlCommand(
            """
            insert into security_events (locker_id, kind, seq, detail, at)
            select $1, f.kind, f.seq, f.detail, $5 from unnest($2::text[], $3::bigint[], $4::text[]) with ordinality as f(kind, seq, detail, n)
            order by f.n
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = locker });
        command.Parameters.Add(new NpgsqlParameter { Value = findings.Select(f => f.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = findings.Select(f => f.Seq).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = findings.Select(f => f.Detail.Length > 500 ? f.Detail[..500] : f.Detail).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The latest security events of a network's lockers, newest first.</summary>
    public async Task<IReadOnlyList<SecurityEvent>> RecentAsync(int limit, string network, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select s.id, s.locker_id, s.kind, s.seq, s.detail, s.at from security_events s
            join rm_lockers l on l.locker_id = s.locker_id and l.network_id = $2
            order by s.id desc limit $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(limit, 1, 1000) });
        command.Parameters.Add(new NpgsqlParameter { Value = network });
        var events = new List<SecurityEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new SecurityEvent(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return events;
    }
}

/// <summary>Why a board's event was refused or corrected.</summary>
public static class SecurityEventKinds
{
    /// <summary>The event names another device than the one that signed the session.</summary>
    public const string ForeignDevice = "foreign-device";

    /// <summary>A compartment this locker does not have.</summary>
    public const string ForeignCompartment = "foreign-compartment";

    /// <summary>A parcel that was never deposited in this locker's compartment.</summary>
    public const string ForeignParcel = "foreign-parcel";

    /// <summary>A command the core never queued for this locker.</summary>
    public const string ForeignCommand = "foreign-command";

    /// <summary>An event frame the core cannot read (an unknown kind from a newer board, or malformed): stored raw and acknowledged.</summary>
    public const string UnknownFrame = "unknown-frame";

    /// <summary>A frame without even a sequence number: nothing to acknowledge, dropped.</summary>
    public const string MalformedFrame = "malformed-frame";

    /// <summary>The board's time was ahead of the core's: replaced by the time the core received it.</summary>
    public const string ClockAhead = "clock-ahead";

    /// <summary>The board's time was far behind the core's: replaced by the time the core received it.</summary>
    public const string ClockBehind = "clock-behind";

    public static IReadOnlyList<string> All { get; } =
        [ForeignDevice, ForeignCompartment, ForeignParcel, ForeignCommand, UnknownFrame, MalformedFrame, ClockAhead, ClockBehind];
}
