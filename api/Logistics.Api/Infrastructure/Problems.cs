using Logistics.Domain;
using Logistics.EventStore;
using Logistics.EventStore.PersonalData;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Logistics.Api.Infrastructure;

/// <summary>A request the API refuses with a status and a sentence a person understands.</summary>
public sealed class ApiProblem(int status, string title, string detail, string code, IDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public string Code { get; } = code;

    public IDictionary<string, string[]>? Errors { get; } = errors;

    public TimeSpan? RetryAfter { get; init; }

    public static ApiProblem NotFound(string what) => new(StatusCodes.Status404NotFound, "Not found", what, "not-found");

    public static ApiProblem Forbidden(string why) => new(StatusCodes.Status403Forbidden, "Not allowed", why, "forbidden");

    public static ApiProblem Invalid(IDictionary<string, string[]> errors) => new(
        StatusCodes.Status422UnprocessableEntity,
        "Some fields need attention",
        string.Join(" ", errors.SelectMany(e => e.Value)),
        "validation",
        errors);

    public static ApiProblem Conflict(string code, string detail) => new(StatusCodes.Status409Conflict, "The request cannot be applied", detail, code);
}

/// <summary>Turns every refusal into an RFC 7807 problem document.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, code, errors, retryAfter) = exception switch
        {
            ApiProblem p => (p.Status, p.Title, p.Message, p.Code, p.Errors, p.RetryAfter),
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

    private static string ReadableBadRequest(BadHttpRequestException e) =>
        e.InnerException is System.Text.Json.JsonException json
            ? $"The JSON body is not valid: {json.Message}"
            : e.Message;
}
