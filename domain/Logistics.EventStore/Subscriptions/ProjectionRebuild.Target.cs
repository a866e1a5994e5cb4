using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace Logistics.EventStore.Subscriptions;

/// <summary>One projection being rebuilt: its shadow schema, the connection that writes it, and its builder.</summary>
public sealed partial class ProjectionRebuild
{
    private sealed class Target : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly ConcurrentDictionary<Type, bool> _reads = new();
        private readonly Stopwatch _busy = new();
        private IReadOnlyList<(string Drop, string Create)> _deferred = [];
        private bool _swapped;

        private Target(IProjection projection, NpgsqlConnection connection)
        {
            Projection = projection;
            Schema = ShadowSchema(projection);
            Builder = (projection as IBulkProjection)?.StartRebuild();
            _connection = connection;
        }

        public IProjection Projection { get; }

        public string Schema { get; }

        public IProjectionBuilder? Builder { get; }

        public TimeSpan Elapsed => _busy.Elapsed;

        /// <summary>Takes the projection's rebuild lock, lays out its tables in an empty shadow schema, and drops their indexes while a builder fills them.</summary>
        public static async Task<Target> PrepareAsync(NpgsqlDataSource dataSource, IProjection projection, CancellationToken cancellationToken)
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var target = new Target(projection, connection);
            try
            {
                await using (var lockCommand = new NpgsqlCommand("select pg_try_advisory_lock(4711002, hashtext($1))", connection))
                {
                    lockCommand.Parameters.Add(new NpgsqlParameter { Value = projection.Name });
                    if (!(bool)(await lockCommand.ExecuteScalarAsync(cancellationToken))!)
                    {
                        throw new InvalidOperationException($"A rebuild of the projection '{projection.Name}' is already running.");
                    }
                }

                await target.ExecuteAsync(
                    $"drop schema if exists {target.Schema} cascade; create schema {target.Schema}; set search_path to {target.Schema}, public",
                    cancellationToken);
                await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
                {
                    await projection.EnsureSchemaAsync(new ProjectionContext(connection, transaction), cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }

                if (target.Builder is not null)
                {
                    await target.DeferIndexesAsync(cancellationToken);
                }

                return target;
            }
            catch
            {
                await target.DisposeAsync();
                throw;
            }
        }

        public bool Reads(Type eventClass) =>
            _reads.GetOrAdd(eventClass, type => Projection is not IBulkProjection bulk || bulk.Reads(type));

        public async Task ApplyAsync(EventEnvelope?[] decoded, CancellationToken cancellationToken)
        {
            var events = new List<EventEnvelope>();
            foreach (var e in decoded)
            {
                if (e is not null && Reads(e.Event.GetType()))
                {
                    events.Add(e);
                }
            }

            if (events.Count == 0)
            {
                return;
            }

            _busy.Start();
            try
            {
                if (Builder is not null)
                {
                    await Builder.ApplyAsync(_connection, events, cancellationToken);
                }
                else
                {
                    await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
                    await Projection.ApplyAsync(new ProjectionContext(_connection, transaction), events, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }
            }
            finally
            {
                _busy.Stop();
            }
        }

        /// <summary>Writes what the builder holds, indexes the tables (a sort each, faster than row by row) and gathers their statistics.</summary>
        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            _busy.Start();
            try
            {
                if (Builder is not null)
                {
                    await Builder.CompleteAsync(_connection, cancellationToken);
                }

                foreach (var (_, create) in _deferred)
                {
                    await ExecuteAsync(create, cancellationToken);
                }

                foreach (var table in await TablesAsync(_connection, null, cancellationToken))
                {
                    await ExecuteAsync($"analyze {Schema}.{table}", cancellationToken);
                }
            }
            finally
            {
                _busy.Stop();
            }
        }

        public Task<IReadOnlyList<string>> TablesAsync(ProjectionContext context, CancellationToken cancellationToken) =>
            TablesAsync(context.Connection, context.Transaction, cancellationToken);

        public void Swapped() => _swapped = true;

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!_swapped && _connection.State == System.Data.ConnectionState.Open)
                {
                    // A failed rebuild leaves nothing behind; the live tables were never touched.
                    await ExecuteAsync($"drop schema if exists {Schema} cascade", CancellationToken.None);
                }

                if (_connection.State == System.Data.ConnectionState.Open)
                {
                    await ExecuteAsync("select pg_advisory_unlock_all(); reset search_path", CancellationToken.None);
                }
            }
            catch (NpgsqlException)
            {
                // The connection is broken: closing it releases the lock, and the next rebuild drops the schema.
            }

            await _connection.DisposeAsync();
        }

        private async Task<IReadOnlyList<string>> TablesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand("select tablename from pg_tables where schemaname = $1 order by 1", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = Schema });
            var tables = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }

            return tables;
        }

        /// <summary>Drops the shadow tables' indexes and keys (remembering how to make them again) while COPY fills them.</summary>
        private async Task DeferIndexesAsync(CancellationToken cancellationToken)
        {
            var deferred = new List<(string Drop, string Create)>();
            await using (var command = new NpgsqlCommand(
                """
                select format('%I.%I', n.nspname, t.relname), format('%I.%I', n.nspname, x.relname), pg_get_indexdef(i.indexrelid),
                       c.conname, pg_get_constraintdef(c.oid)
                from pg_index i
                join pg_class x on x.oid = i.indexrelid
                join pg_class t on t.oid = i.indrelid
                join pg_namespace n on n.oid = t.relnamespace
                left join pg_constraint c on c.conindid = i.indexrelid and c.contype in ('p', 'u')
                where n.nspname = $1
                order by c.conname nulls last, x.relname
                """,
                _connection))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = Schema });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var table = reader.GetString(0);
                    deferred.Add(reader.IsDBNull(3)
                        ? ($"drop index {reader.GetString(1)}", reader.GetString(2))
                        : ($"alter table {table} drop constraint \"{reader.GetString(3)}\"",
                            $"alter table {table} add constraint \"{reader.GetString(3)}\" {reader.GetString(4)}"));
                }
            }

            foreach (var (drop, _) in deferred)
            {
                await ExecuteAsync(drop, cancellationToken);
            }

            _deferred = deferred;
        }

        private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand(sql, _connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
