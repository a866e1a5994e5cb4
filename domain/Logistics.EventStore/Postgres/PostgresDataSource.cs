using Npgsql;

namespace Logistics.EventStore.Postgres;

/// <summary>
/// The data source the store is meant to run on. Its one decision: Npgsql prepares a statement once a connection has
/// run it twice, keeping up to <see cref="MaxAutoPrepare"/> per connection (least recently used go first). An append,
/// a projection's update or a query then costs the server an execution, not a parse and a plan: at 32 writers on
/// 2 cores that was a quarter of the append throughput (perf/README.md). A connection string that sets these keeps its
/// own values. Prepared statements live on a server connection, so a transaction-mode pooler (PgBouncer) in between
/// needs its prepared-statement support, or these set to 0.
/// </summary>
public static class PostgresDataSource
{
    /// <summary>Enough for every statement the application repeats (appends, projections, queries, process managers).</summary>
    public const int MaxAutoPrepare = 64;

    public const int AutoPrepareMinUsages = 2;

    public static NpgsqlDataSource Create(string connectionString) => NpgsqlDataSource.Create(WithDefaults(connectionString));

    /// <summary>The connection string with the store's defaults added where it says nothing.</summary>
    public static string WithDefaults(string connectionString)
    {
        // The plain builder holds only the keys the string names (Npgsql's answers for every keyword it knows).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("MAXAUTOPREPARE"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!given.Contains("AUTOPREPAREMINUSAGES"))
        {
            builder.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }

        return builder.ConnectionString;
    }
}
