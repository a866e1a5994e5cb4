using System.Security.Cryptography;
using Logistics.Application.Refusals;
using Logistics.Application.Schema;
using Logistics.Domain;
using Logistics.EventStore.PersonalData;
using Npgsql;
using NpgsqlTypes;

namespace Logistics.Application.Webhooks;

/// <summary>
/// Where webhooks may go: <c>https</c> URLs only, unless <see cref="AllowPlainHttp"/> (a demo, tests on loopback).
/// </summary>
public sealed record WebhookOptions(bool AllowPlainHttp = false)
{
    /// <summary>How many live endpoints a shop may have.</summary>
    public int MaxEndpointsPerShop { get; init; } = 5;
}

public sealed record WebhookEndpointInput(string? Url);

/// <summary>An endpoint as listed (its secret is shown once, when it is added).</summary>
public sealed record WebhookEndpointView(string Id, string ShopId, string Url, DateTimeOffset CreatedAt, bool Enabled);

/// <summary>A new endpoint with its signing secret (<c>whsec_…</c>, Standard Webhooks), shown this once.</summary>
public sealed record NewWebhookEndpoint(string Id, string ShopId, string Url, string Secret, DateTimeOffset CreatedAt);

/// <summary>
/// One event told to one endpoint: <c>state</c> is <c>pending</c> (still to send, or being retried),
/// <c>delivered</c> or <c>failed</c> (retries used up; "send again" starts over).
/// </summary>
public sealed record WebhookDeliveryView(
    string Id, string ShopId, string EndpointId, string Url, string ParcelId, string Type, DateTimeOffset CreatedAt, string State, int Attempts,
    DateTimeOffset? DeliveredAt, DateTimeOffset? NextAttemptAt, int? LastStatus, string? LastError, IReadOnlyList<WebhookAttemptView> AttemptLog);

/// <summary>One try: the endpoint's HTTP status, or what went wrong before one came back.</summary>
public sealed record WebhookAttemptView(int Attempt, DateTimeOffset At, int? Status, string? Error, int Milliseconds);

/// <summary>
/// A shop's webhook endpoints and the log of what was sent to them. A shop (or its web store) sees and acts on its
/// own only; an operator on every shop's. Signing secrets are kept wrapped with the key-encryption key, so a copy
/// of the database alone cannot forge a shop's webhooks.
/// </summary>
public sealed class WebhookSubscriptions(NpgsqlDataSource dataSource, KeyEncryptionKeys keks, WebhookOptions options, TimeProvider clock)
{
    public const int MaxUrl = 2000;
    public const string UrlCode = "webhook.url";
    public const string TooManyCode = "webhook.too-many";
    public const int MaxDeliveriesListed = 200;

    /// <summary>Retries of a delivery before it is marked failed (about a day and a half with the growing delay).</summary>
    public const int Retries = 10;

    private static readonly System.Text.Json.JsonSerializerOptions AttemptJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    public async Task<NewWebhookEndpoint> AddAsync(ShopId shop, WebhookEndpointInput input, CancellationToken cancellationToken = default)
    {
        var url = ValidUrl(input.Url);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockShop = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext('webhooks:' || $1))", connection, transaction))
        {
            lockShop.Parameters.Add(new NpgsqlParameter { Value = shop.Value });
            await lockShop.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var count = new NpgsqlCommand("select count(*) from webhook_endpoints where shop_id = $1 and disabled_at is null", connection, transaction))
        {
            count.Parameters.Add(new NpgsqlParameter { Value = shop.Value });
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! >= options.MaxEndpointsPerShop)
            {
                throw Refusal.Conflict(TooManyCode, $"Shop {shop} already has {options.MaxEndpointsPerShop} webhook endpoints; disable one first.");
            }
        }

        var id = Guid.CreateVersion7();
        var secret = RandomNumberGenerator.GetBytes(32);
        var now = clock.GetUtcNow();
        await using (var insert = new NpgsqlCommand(
            "insert into webhook_endpoints (id, shop_id, url, kek_id, wrapped_secret, created_at) values ($1, $2, $3, $4, $5, $6)", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = id });
            insert.Parameters.Add(new NpgsqlParameter { Value = shop.Value });
            insert.Parameters.Add(new NpgsqlParameter { Value = url });
            insert.Parameters.Add(new NpgsqlParameter { Value = keks.CurrentId });
            insert.Parameters.Add(new NpgsqlParameter { Value = keks.Wrap(SecretOwner(id), secret) });
            insert.Parameters.Add(new NpgsqlParameter { Value = now });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new NewWebhookEndpoint(id.ToString("N"), shop.Value, url, "whsec_" + Convert.ToBase64String(secret), now);
    }

    /// <summary>The endpoints of a shop, or of every shop for an operator (<paramref name="shop"/> null).</summary>
    public async Task<IReadOnlyList<WebhookEndpointView>> ListAsync(ShopId? shop, string? network = null, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"select id, shop_id, url, created_at, disabled_at is null from webhook_endpoints where ($1::text is null or shop_id = $1) and {InNetwork("shop_id", 2)} order by created_at");
        command.Parameters.Add(Parameters.Nullable(shop?.Value, NpgsqlDbType.Text));
        command.Parameters.Add(Parameters.Nullable(network, NpgsqlDbType.Text));
        var list = new List<WebhookEndpointView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new WebhookEndpointView(reader.GetGuid(0).ToString("N"), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetBoolean(4)));
        }

        return list;
    }

    /// <summary>Stops sending to an endpoint (deliveries still due to it are dropped from the queue, kept in the log).</summary>
    public async Task DisableAsync(ShopId? shop, string id, string? network = null, CancellationToken cancellationToken = default)
    {
        var endpoint = ParseId(id, "webhook endpoint");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var disable = new NpgsqlCommand(
            $"update webhook_endpoints set disabled_at = coalesce(disabled_at, $3) where id = $1 and ($2::text is null or shop_id = $2) and {InNetwork("shop_id", 4)}", connection, transaction);
        disable.Parameters.Add(new NpgsqlParameter { Value = endpoint });
        disable.Parameters.Add(Parameters.Nullable(shop?.Value, NpgsqlDbType.Text));
        disable.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        disable.Parameters.Add(Parameters.Nullable(network, NpgsqlDbType.Text));
        if (await disable.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw Refusal.NotFound($"You have no webhook endpoint {id}.");
        }

        await using var drop = new NpgsqlCommand("update webhook_deliveries set next_attempt_at = null where endpoint_id = $1 and next_attempt_at is not null", connection, transaction);
        drop.Parameters.Add(new NpgsqlParameter { Value = endpoint });
        await drop.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The latest deliveries (newest first) with their attempts; <paramref name="state"/> filters (pending, delivered, failed).</summary>
    public async Task<IReadOnlyList<WebhookDeliveryView>> DeliveriesAsync(ShopId? shop, string? state, int limit, string? parcelId = null, string? network = null, CancellationToken cancellationToken = default)
    {
        new Validation()
            .Require(state is null or "pending" or "delivered" or "failed", "state", InputLimits.OutOfRangeCode, "pending, delivered or failed.")
            .Range(limit, "limit", 1, MaxDeliveriesListed)
            .Id(parcelId, "parcelId")
            .ThrowIfAny();
        await using var command = dataSource.CreateCommand(
            $$"""
            select d.id, d.endpoint_id, e.url, d.parcel_id, d.type, d.created_at, d.attempts, d.delivered_at, d.next_attempt_at, d.last_status, d.last_error,
                   coalesce((select json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'status', a.status, 'error', a.error, 'milliseconds', a.milliseconds) order by a.attempt)
                             from webhook_attempts a where a.delivery_id = d.id), '[]')::text, d.shop_id
            from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
            where ($1::text is null or d.shop_id = $1)
              and ($2::text is null
                   or ($2 = 'pending' and d.next_attempt_at is not null)
                   or ($2 = 'delivered' and d.next_attempt_at is null and d.delivered_at is not null)
                   or ($2 = 'failed' and d.next_attempt_at is null and d.delivered_at is null))
              and ($4::text is null or d.parcel_id = $4)
              and {{InNetwork("d.shop_id", 5)}}
            order by d.created_at desc, d.id desc
            limit $3
            """);
        command.Parameters.Add(Parameters.Nullable(shop?.Value, NpgsqlDbType.Text));
        command.Parameters.Add(Parameters.Nullable(state, NpgsqlDbType.Text));
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.Parameters.Add(Parameters.Nullable(parcelId, NpgsqlDbType.Text));
        command.Parameters.Add(Parameters.Nullable(network, NpgsqlDbType.Text));
        var list = new List<WebhookDeliveryView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var delivered = reader.IsDBNull(7) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(7);
            var next = reader.IsDBNull(8) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(8);
            list.Add(new WebhookDeliveryView(
                reader.GetGuid(0).ToString("N"), reader.GetString(12), reader.GetGuid(1).ToString("N"), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), next is not null ? "pending" : delivered is not null ? "delivered" : "failed", reader.GetInt32(6),
                delivered, next, reader.IsDBNull(9) ? null : reader.GetInt32(9), reader.IsDBNull(10) ? null : reader.GetString(10),
                System.Text.Json.JsonSerializer.Deserialize<List<WebhookAttemptView>>(reader.GetString(11), AttemptJson)!));
        }

        return list;
    }

    /// <summary>
    /// Sends a delivery again now, delivered or failed, with its retries started over; the receiver sees the same
    /// <c>webhook-id</c> (its deduplication key) with a fresh timestamp and signature.
    /// </summary>
    public async Task ResendAsync(ShopId? shop, string id, string? network = null, CancellationToken cancellationToken = default)
    {
        var delivery = ParseId(id, "webhook delivery");
        await using var command = dataSource.CreateCommand(
            $"""
            update webhook_deliveries d set next_attempt_at = $3, retry_until_attempt = d.attempts + $4
            from webhook_endpoints e
            where d.id = $1 and e.id = d.endpoint_id and ($2::text is null or d.shop_id = $2) and {InNetwork("d.shop_id", 5)}
            returning e.disabled_at is null
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = delivery });
        command.Parameters.Add(Parameters.Nullable(shop?.Value, NpgsqlDbType.Text));
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter { Value = Retries });
        command.Parameters.Add(Parameters.Nullable(network, NpgsqlDbType.Text));
        switch (await command.ExecuteScalarAsync(cancellationToken))
        {
            case null:
                throw Refusal.NotFound($"You have no webhook delivery {id}.");
            case false:
                throw Refusal.Conflict("webhook.endpoint-disabled", "That delivery's endpoint is disabled; add the endpoint again to receive events.");
        }
    }

    // A shop of the caller's network (any, for null: the dispatcher and tests).
    private static string InNetwork(string column, int parameter) =>
        $"(${parameter}::text is null or {column} in (select s.shop_id from rm_shops s where s.network_id = ${parameter}))";

    /// <summary>An endpoint's signing secret, unwrapped (for the dispatcher only).</summary>
    internal byte[] Unwrap(Guid endpoint, string kekId, byte[] wrapped) => keks.Unwrap(SecretOwner(endpoint), kekId, wrapped);

    // The wrapped secret is bound to its endpoint: copied onto another row it does not unwrap.
    private static string SecretOwner(Guid endpoint) => $"webhook-endpoint:{endpoint:N}";

    private string ValidUrl(string? url)
    {
        new Validation().NotBlank(url, "url", "The endpoint's URL").MaxLength(url, "url", MaxUrl).ThrowIfAny();
        var ok = Uri.TryCreate(url!.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || (options.AllowPlainHttp && uri.Scheme == Uri.UriSchemeHttp))
            && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Fragment);
        return ok
            ? uri!.AbsoluteUri
            : throw Refusal.Invalid("url", UrlCode, options.AllowPlainHttp
                ? "An absolute http or https URL, without a user name, password or #fragment."
                : "An absolute https URL, without a user name, password or #fragment.");
    }

    private static Guid ParseId(string id, string what) =>
        Guid.TryParseExact(id, "N", out var parsed) || Guid.TryParse(id, out parsed) ? parsed : throw Refusal.NotFound($"You have no {what} {id}.");
}
