using Logistics.Application.Refusals;
using Logistics.Domain;
using Logistics.EventStore;
using Logistics.EventStore.PersonalData;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Logistics.Api.Infrastructure;

/// <summary>Turns every refusal into an RFC 7807 problem document.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, code, errors, retryAfter) = exception switch
        {
            Refusal p => (Status(p.Kind), p.Title, p.Message, p.Code, p.Errors, p.RetryAfter),
            DomainRuleViolation v => (StatusCodes.Status409Conflict, "The request cannot be applied", v.Message, v.Code, null, (TimeSpan?)null),
            WrongExpectedVersionException => (
                StatusCodes.Status409Conflict,
                "Changed at the same time",
                "Someone else changed this record at the same moment, so your request was not applied. Send it again " +
                "(with the same Idempotency-Key if you used one): it will be decided on the latest state.",
                "concurrency-conflict",
                null,
                TimeSpan.FromSeconds(1)),
            EventIdReuseException e => (StatusCodes.Status422UnprocessableEntity, "Idempotency key reused", e.Message, "idempotency-key-reused", null, null),
            PersonErasedException e => (StatusCodes.Status410Gone, "Personal data erased", e.Message, "person-erased", null, null),
            BadHttpRequestException e => (StatusCodes.Status400BadRequest, "The request could not be read", ReadableBadRequest(e), "bad-request", null, null),
            _ => (StatusCodes.Status500InternalServerError, "Something went wrong on our side", "The error was logged; please try again in a moment.", "internal", null, null),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = errors is null
            ? new ProblemDetails()
            : new ValidationProblemDetails(errors);
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        problem.Type = $"https://logistics.example/problems/{code}";
        problem.Extensions["code"] = code;
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
        _ => StatusCodes.Status400BadRequest,
    };

    private static string ReadableBadRequest(BadHttpRequestException e) =>
        e.InnerException is System.Text.Json.JsonException json
            ? $"The JSON body is not valid: {json.Message}"
            : e.Message;
}
