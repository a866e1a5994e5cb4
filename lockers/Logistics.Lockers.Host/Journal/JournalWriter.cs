using System.Globalization;
using System.Text.Json;
using Logistics.LockerLink;
using Microsoft.Data.Sqlite;

namespace Logistics.Lockers.Host.Journal;

/// <summary>The operations of one journal transaction; valid only inside <see cref="Journal.Write{T}"/>.</summary>
public sealed class JournalWriter
{
    private readonly Journal _journal;
    private readonly SqliteConnection _db;
    private readonly SqliteTransaction _tx;

    internal JournalWriter(Journal journal, SqliteConnection db, SqliteTransaction tx)
    {
        _journal = journal;
        _db = db;
        _tx = tx;
    }

    internal bool Appended => LastAppended is not null;

    /// <summary>The payload this transaction appended last (null when none).</summary>
    internal DevicePayload? LastAppended { get; private set; }

    /// <summary>Stamps the payload now and gives it the next sequence number.</summary>
    public long Append(DevicePayload payload) => Append(payload, _journal.Clock.Now());

    public long Append(DevicePayload payload, EventStamp stamp)
    {
        var seq = _journal.Counter("last_seq") + 1;
        Run(
            "INSERT INTO outbox (seq, boot_id, mono_ms, wall, synced, payload) VALUES ($seq, $boot, $mono, $wall, $synced, $payload)",
            ("$seq", seq),
            ("$boot", stamp.BootId.ToString("D")),
            ("$mono", stamp.MonotonicMs),
            ("$wall", Instant(stamp.WallClock)),
            ("$synced", stamp.ClockSynchronised ? 1 : 0),
            ("$payload", LinkJson.Serialize(payload)));
        SetCounter("last_seq", seq);
        LastAppended = payload;
        return seq;
    }

    public void Acknowledge(long upToSeq)
    {
        var acked = _journal.Counter("acked_seq");
        var last = _journal.Counter("last_seq");
        if (upToSeq <= acked)
        {
            return;
        }

        if (upToSeq > last)
        {
            throw new InvalidOperationException($"The core acknowledged seq {upToSeq} but the journal has only reached {last}.");
        }

        Run("DELETE FROM outbox WHERE seq <= $seq", ("$seq", upToSeq));
        SetCounter("acked_seq", upToSeq);
    }

    /// <summary>
    /// The core holds events of this device beyond our journal (the journal was lost or replaced): continue after
    /// them rather than reuse sequence numbers the core would take for duplicates.
    /// </summary>
    public void ResumeAfter(long coreSeq)
    {
        if (coreSeq > _journal.Counter("last_seq"))
        {
            Run("DELETE FROM outbox");
            SetCounter("last_seq", coreSeq);
            SetCounter("acked_seq", coreSeq);
        }
    }

    public long BeginUnlock(int compartment, UnlockCause cause)
    {
        Run(
            "INSERT INTO intents (compartment, cause, intended_at) VALUES ($c, $cause, $at)",
            ("$c", compartment),
            ("$cause", JsonSerializer.Serialize(cause, LinkJson.Options)),
            ("$at", Instant(_journal.Clock.Time.GetUtcNow())));
        using var cmd = Command("SELECT last_insert_rowid()");
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>The cause of an unfinished intent, or null when it is unknown or already finished.</summary>
    public UnlockCause? CauseOf(long intentId)
    {
        using var cmd = Command("SELECT cause FROM intents WHERE id = $id");
        cmd.Parameters.AddWithValue("$id", intentId);
        return cmd.ExecuteScalar() is string json ? JsonSerializer.Deserialize<UnlockCause>(json, LinkJson.Options) : null;
    }

    public void FinishUnlock(long intentId) => Run("DELETE FROM intents WHERE id = $id", ("$id", intentId));

    /// <summary>Records an executed command and its result; its seq becomes the floor for new commands.</summary>
    public void RecordCommand(DeviceCommand command, DevicePayload.CommandResult result)
    {
        Run(
            "INSERT INTO commands (id, seq, result, expires_at) VALUES ($id, $seq, $result, $expires)",
            ("$id", command.CommandId),
            ("$seq", command.Seq),
            ("$result", LinkJson.Serialize(result)),
            ("$expires", Instant(command.ExpiresAt)));
        if (command.Seq > _journal.Counter("last_command_seq"))
        {
            SetCounter("last_command_seq", command.Seq);
        }
    }

    /// <summary>Forgets executed commands long expired: a repeat of one is refused as stale by its seq anyway.</summary>
    public void PruneCommands(DateTimeOffset expiredBefore) =>
        Run("DELETE FROM commands WHERE expires_at < $before", ("$before", Instant(expiredBefore)));

    public void PutCode(string parcelId, int compartment, byte[] hash, DateTimeOffset expiresAt) =>
        Run(
            "INSERT OR REPLACE INTO codes (parcel_id, compartment, hash, expires_at) VALUES ($p, $c, $h, $e)",
            ("$p", parcelId),
            ("$c", compartment),
            ("$h", hash),
            ("$e", Instant(expiresAt)));

    public void DeleteCode(string parcelId) => Run("DELETE FROM codes WHERE parcel_id = $p", ("$p", parcelId));

    public void PutSetting(string name, byte[] value) =>
        Run("INSERT OR REPLACE INTO settings (name, value) VALUES ($n, $v)", ("$n", name), ("$v", value));

    /// <summary>Remembers a remote open for the board's own burst limit (a day of history is plenty for a 5-minute window).</summary>
    public void RecordRemoteOpen(DateTimeOffset at)
    {
        Run("DELETE FROM remote_opens WHERE at < $old", ("$old", Instant(at.AddDays(-1))));
        Run("INSERT INTO remote_opens (at) VALUES ($at)", ("$at", Instant(at)));
    }

    /// <summary>Remembers a wrong code so that the keypad throttle survives a restart.</summary>
    public void RecordCodeFailure(DateTimeOffset at)
    {
        Run("DELETE FROM code_failures WHERE at < $old", ("$old", Instant(at.AddDays(-1))));
        Run("INSERT INTO code_failures (at) VALUES ($at)", ("$at", Instant(at)));
    }

    internal static string Instant(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private void SetCounter(string name, long value) =>
        Run("INSERT INTO counters (name, value) VALUES ($n, $v) ON CONFLICT (name) DO UPDATE SET value = excluded.value", ("$n", name), ("$v", value));

    private void Run(string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = Command(sql);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        cmd.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql)
    {
        var cmd = _db.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = sql;
        return cmd;
    }
}
