namespace Logistics.Application.Refusals;

/// <summary>How a refusal reads to a caller; hosts map each kind to their own status (HTTP 422, 404, 403, 409, 429, 410, 400).</summary>
public enum RefusalKind
{
    Invalid,
    NotFound,
    Forbidden,
    Conflict,
    TooManyRequests,
    Gone,
    BadRequest,
}

/// <summary>
/// A request the application refuses, with a title, a sentence a person understands, and a stable code that pages
/// translate and clients branch on. Domain refusals (<c>DomainRuleViolation</c>) carry their own codes.
/// </summary>
public sealed class Refusal(RefusalKind kind, string title, string detail, string code, IDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public RefusalKind Kind { get; } = kind;

    public string Title { get; } = title;

    public string Code { get; } = code;

    public IDictionary<string, string[]>? Errors { get; } = errors;

    public TimeSpan? RetryAfter { get; init; }

    public static Refusal NotFound(string what) => new(RefusalKind.NotFound, "Not found", what, "not-found");

    public static Refusal Forbidden(string why) => new(RefusalKind.Forbidden, "Not allowed", why, "forbidden");

    public static Refusal Invalid(IDictionary<string, string[]> errors) => new(
        RefusalKind.Invalid,
        "Some fields need attention",
        string.Join(" ", errors.SelectMany(e => e.Value)),
        "validation",
        errors);

    public static Refusal Conflict(string code, string detail) => new(RefusalKind.Conflict, "The request cannot be applied", detail, code);
}
