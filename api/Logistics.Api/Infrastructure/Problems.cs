using Logistics.Application.Refusals;
using Logistics.Domain;
using Logistics.EventStore;
using Logistics.EventStore.PersonalData;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Logistics.Api.Infrastructure;

/// <summary>The codes of the problems the HTTP layer itself answers (the application's and the domain's carry their own).</summary>
public static class ProblemCodes
{
    public const string Unauthenticated = "unauthenticated";
    public const string ConcurrencyConflict = "concurrency-conflict";
    public const string IdempotencyKeyReused = "idempotency-key-reused";
    public const string PersonErased = "person-erased";
    public const string BadRequest = "bad-request";
    public const string Internal = "internal";
    public const string DatabaseUnavailable = "database-unavailable";
}

/// <summary>
/// Turns every refusal into an RFC 7807 problem document: a <c>code</c> pages translate, the <c>values</c> its sentence
/// carries, and for field errors their <c>errorCodes</c> beside the English <c>errors</c>.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var refusal = exception switch
        {
            Refusal r => r,
            DomainRuleViolation v => new Refusal(v.Code, RefusalKind.Conflict, "The request cannot be applied", v.Message),
            WrongExpectedVersionException => new Refusal(
                ProblemCodes.ConcurrencyConflict,
                RefusalKind.Conflict,
                "Changed at the same time",
                "Someone else changed this record at the same moment, so your request was not applied. Send it again " +
                "(with the same Idempotency-Key if you used one): it will be decided on the latest state.")
            {
                RetryAfter = TimeSpan.FromSeconds(1),
            },
            EventIdReuseException e => new Refusal(ProblemCodes.IdempotencyKeyReused, RefusalKind.Invalid, "Idempotency key reused", e.Message),
            PersonErasedException e => new Refusal(ProblemCodes.PersonErased, RefusalKind.Gone, "Personal data erased", e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => InputGuard.BodyTooLarge(),
            BadHttpRequestException e => new Refusal(ProblemCodes.BadRequest, RefusalKind.BadRequest, "The request could not be read", ReadableBadRequest(e)),
            Npgsql.NpgsqlException e when DatabaseDown(e) => new Refusal(
                ProblemCodes.DatabaseUnavailable,
                RefusalKind.Unavailable,
                "Service unavailable",
                "The network's database does not answer right now. Try again in a few seconds (with the same Idempotency-Key if you used one).")
            {
                RetryAfter = TimeSpan.FromSeconds(5),
            },
            _ => null,
        };
        var status = refusal is null ? StatusCodes.Status500InternalServerError
            : exception is BadHttpRequestException { StatusCode: >= 400 and < 500 } bad ? bad.StatusCode
            : Status(refusal.Kind);
        if (refusal is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            refusal = new Refusal(ProblemCodes.Internal, RefusalKind.BadRequest, "Something went wrong on our side", "The error was logged; please try again in a moment.");
        }

        httpContext.Response.StatusCode = status;
        if (refusal.RetryAfter is { } wait)
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = refusal.Errors is null ? new ProblemDetails() : new ValidationProblemDetails(refusal.Errors);
        problem.Status = status;
        problem.Title = refusal.Title;
        problem.Detail = refusal.Message;
        problem.Type = $"https://logistics.example/problems/{refusal.Code}";
        problem.Extensions["code"] = refusal.Code;
        if (refusal.Values is { } values)
        {
            problem.Extensions["values"] = values;
        }

        if (refusal.ErrorCodes is { } codes)
        {
            problem.Extensions["errorCodes"] = codes;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The HTTP status of each kind of refusal.</summary>
    public static int Status(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => StatusCodes.Status422UnprocessableEntity,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        RefusalKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        RefusalKind.Gone => StatusCodes.Status410Gone,
        RefusalKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        RefusalKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>
    /// The database cannot be reached or is shutting down (a restart, a failover): not a bug, and a retry will do
    /// (what a request appended before it failed is finished by the process managers). Its own errors stay 500s.
    /// </summary>
    private static bool DatabaseDown(Npgsql.NpgsqlException e) =>
        e is not Npgsql.PostgresException || (e is Npgsql.PostgresException p && (p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("57P", StringComparison.Ordinal)));

    /// <summary>
    /// Problems the framework writes by itself (a status code page: no route, a body cut off at its limit while read)
    /// get the code pages translate, where one fits.
    /// </summary>
    public static void AddCode(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Extensions.ContainsKey("code"))
        {
            return;
        }

        var code = context.ProblemDetails.Status switch
        {
            StatusCodes.Status400BadRequest => ProblemCodes.BadRequest,
            StatusCodes.Status404NotFound => Refusal.NotFoundCode,
            StatusCodes.Status413PayloadTooLarge => InputLimits.BodyTooLargeCode,
            _ => null,
        };
        if (code is not null)
        {
            context.ProblemDetails.Extensions["code"] = code;
        }
    }

    private static string ReadableBadRequest(BadHttpRequestException e) =>
        e.InnerException is System.Text.Json.JsonException json
            ? $"The JSON body is not valid: {json.Message}"
            : e.Message;
}
