using System.Globalization;
using Logistics.LockerLink;
using Microsoft.Data.Sqlite;

namespace Logistics.Lockers.Host.Journal;

/// <summary>
/// The board's local journal (SQLite, WAL, synchronous=FULL): the outbox of events with gap-free sequence
/// numbers, unlock intents, executed commands and their results, provisioned codes and settings. Everything
/// that must be atomic is done in one <see cref="Write{T}"/> transaction; a commit returns only once durable.
/// One connection behind one lock: a locker writes a few rows a minute, so a pool would buy nothing.
/// </summary>
public sealed partial class Journal : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Lock _gate = new();

    private Journal(SqliteConnection db, string deviceId, BoardClock clock)
    {
        _db = db;
        DeviceId = deviceId;
        Clock = clock;
    }

    public string DeviceId { get; }

    public BoardClock Clock { get; }

    /// <summary>Raised after a commit that appended events (outside the lock), so the link can send them.</summary>
    public event Action? Appended;

    public static Journal Open(string path, string deviceId, BoardClock clock)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        db.Open();
        Execute(db, "PRAGMA journal_mode=WAL;");
        Execute(db, "PRAGMA synchronous=FULL;");
        Execute(db, "PRAGMA busy_timeout=5000;");
        Execute(db, Schema);
        return new Journal(db, deviceId, clock);
    }

    /// <summary>Highest sequence number ever assigned (0 when none).</summary>
    public long LastSeq => Read(() => Counter("last_seq"));

    /// <summary>Highest sequence number the core has acknowledged.</summary>
    public long AckedSeq => Read(() => Counter("acked_seq"));

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it before returning.</summary>
    public T Write<T>(Func<JournalWriter, T> work)
    {
        bool appended;
        T result;
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            var writer = new JournalWriter(this, _db, tx);
            result = work(writer);
            tx.Commit();
            appended = writer.Appended;
        }

        if (appended)
        {
            Appended?.Invoke();
        }

        return result;
    }

    public void Write(Action<JournalWriter> work) => Write(w =>
    {
        work(w);
        return 0;
    });

    /// <summary>Events not yet acknowledged, from <paramref name="fromSeq"/> on, in order.</summary>
    public IReadOnlyList<DeviceEvent> ReadFrom(long fromSeq, int max) => Read(() =>
    {
        using var cmd = Command("SELECT seq, boot_id, mono_ms, wall, synced, payload FROM outbox WHERE seq >= $from ORDER BY seq LIMIT $max");
        cmd.Parameters.AddWithValue("$from", fromSeq);
        cmd.Parameters.AddWithValue("$max", max);
        using var r = cmd.ExecuteReader();
        var events = new List<DeviceEvent>();
        while (r.Read())
        {
            events.Add(new DeviceEvent(
                DeviceId,
                r.GetInt64(0),
                Guid.Parse(r.GetString(1)),
                r.GetInt64(2),
                DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture),
                r.GetInt64(4) != 0,
                LinkJson.ReadPayload(r.GetString(5))));
        }

        return events;
    });

    /// <summary>Cumulative acknowledgement: every event up to <paramref name="upToSeq"/> is dropped from the outbox.</summary>
    public void Acknowledge(long upToSeq) => Write(w => w.Acknowledge(upToSeq));

    public IReadOnlyList<UnlockIntent> UnfinishedIntents() => Read(() =>
    {
        using var cmd = Command("SELECT id, compartment, cause, intended_at FROM intents ORDER BY id");
        using var r = cmd.ExecuteReader();
        var intents = new List<UnlockIntent>();
        while (r.Read())
        {
            intents.Add(new UnlockIntent(
                r.GetInt64(0),
                r.GetInt32(1),
                System.Text.Json.JsonSerializer.Deserialize<UnlockCause>(r.GetString(2), LinkJson.Options)!,
                DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture)));
        }

        return intents;
    });

    public StoredCommand? FindCommand(string commandId) => Read(() =>
    {
        using var cmd = Command("SELECT seq, result FROM commands WHERE id = $id");
        cmd.Parameters.AddWithValue("$id", commandId);
        using var r = cmd.ExecuteReader();
        return r.Read()
            ? new StoredCommand(commandId, r.GetInt64(0), (DevicePayload.CommandResult)LinkJson.ReadPayload(r.GetString(1)))
            : null;
    });

    /// <summary>Highest sequence number of an accepted command from the core.</summary>
    public long LastCommandSeq => Read(() => Counter("last_command_seq"));

    public void Dispose()
    {
        lock (_gate)
        {
            _db.Dispose();
        }
    }

    internal long Counter(string name)
    {
        using var cmd = Command("SELECT value FROM counters WHERE name = $name");
        cmd.Parameters.AddWithValue("$name", name);
        return cmd.ExecuteScalar() is long value ? value : 0;
    }

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private SqliteCommand Command(string sql)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        return cmd;
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS outbox (
            seq INTEGER PRIMARY KEY, boot_id TEXT NOT NULL, mono_ms INTEGER NOT NULL,
            wall TEXT NOT NULL, synced INTEGER NOT NULL, payload TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS intents (
            id INTEGER PRIMARY KEY AUTOINCREMENT, compartment INTEGER NOT NULL, cause TEXT NOT NULL, intended_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS commands (
            id TEXT PRIMARY KEY, seq INTEGER NOT NULL, result TEXT NOT NULL, expires_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS codes (
            parcel_id TEXT PRIMARY KEY, compartment INTEGER NOT NULL, hash BLOB NOT NULL, expires_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS remote_opens (at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS code_failures (at TEXT NOT NULL);
        """;
}
