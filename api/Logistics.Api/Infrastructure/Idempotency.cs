using System.Security.Cryptography;
using Logistics.Api.Auth;
using Logistics.Application.Idempotency;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;

namespace Logistics.Api.Infrastructure;

/// <summary>
/// Gives a POST with an <c>Idempotency-Key</c> header one effect however often it is sent: the first answer is
/// stored and replayed; the same key with another body is refused; a request still running answers 409 with
/// Retry-After. Keys are scoped to the caller. Event ids derive from the key too (see <see cref="CommandContext"/>),
/// so even a crash between the append and storing the answer appends nothing twice on the retry.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext context)
    {
        var key = context.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(context.Request.Method) || string.IsNullOrEmpty(key) || context.GetEndpoint()?.Metadata.GetMetadata<EveryAttemptCounts>() is not null)
        {
            await next(context);
            return;
        }

        if (key.Length > 200)
        {
            throw new Refusal("bad-idempotency-key", RefusalKind.BadRequest, "Idempotency key too long", "An Idempotency-Key has at most 200 characters.");
        }

        context.Request.EnableBuffering();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        context.Request.Body.Position = 0;
        var requestHash = Convert.ToHexString(SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(context.Request.Method + " " + context.Request.Path + "\n"), .. body.ToArray()]));
        var owner = context.User.CallerId() ?? "anonymous:" + context.Connection.RemoteIpAddress;

        var (claim, replay) = await ClaimAsync(owner, key, requestHash, context);
        if (claim is null)
        {
            context.Response.StatusCode = replay!.Status;
            context.Response.ContentType = replay.ContentType;
            context.Response.Headers["Idempotent-Replayed"] = "true";
            await context.Response.Body.WriteAsync(replay.Body, context.RequestAborted);
            return;
        }

        var original = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        var completed = false;
        try
        {
            await next(context);
            completed = context.Response.StatusCode < 500;
        }
        finally
        {
            context.Response.Body = original;
            if (completed)
            {
                await store.CompleteAsync(claim, context.Response.StatusCode, context.Response.ContentType, captured.ToArray());
            }
            else
            {
                await store.ReleaseAsync(claim);
            }

            captured.Position = 0;
            await captured.CopyToAsync(original, CancellationToken.None);
        }
    }

    private async Task<(IdempotencyClaim? Claim, Replay? Replay)> ClaimAsync(string owner, string key, string requestHash, HttpContext context)
    {
        if (await store.ClaimAsync(owner, key, requestHash, context.RequestAborted) is { } claim)
        {
            return (claim, null);
        }

        var stored = await store.FindAsync(owner, key, context.RequestAborted) ?? throw InProgress();
        if (stored.RequestHash != requestHash)
        {
            throw new Refusal(
                "idempotency-key-reused",
                RefusalKind.Invalid,
                "Idempotency key reused",
                "This Idempotency-Key was already used for a different request. Use a new key for a new request.");
        }

        return stored.Status is { } status ? (null, new Replay(status, stored.ContentType, stored.Body ?? [])) : throw InProgress();
    }

    private static Refusal InProgress() => new(
        "idempotency-in-progress",
        RefusalKind.Conflict,
        "Request in progress",
        "The same request (same Idempotency-Key) is still being processed. Retry in a second to get its answer.")
    {
        RetryAfter = TimeSpan.FromSeconds(1),
    };

    private sealed record Replay(int Status, string? ContentType, byte[] Body);
}

/// <summary>
/// Marks an endpoint whose every attempt counts (a pickup code typed again is a new guess): no Idempotency-Key
/// replays its answer, and its effects never derive their ids from the key.
/// </summary>
public sealed class EveryAttemptCounts;
