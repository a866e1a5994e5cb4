namespace Logistics.Application.Refusals;

/// <summary>How a refusal reads to a caller; hosts map each kind to their own status (HTTP 422, 404, 403, 409, 429, 410, 400, 413).</summary>
public enum RefusalKind
{
    Invalid,
    NotFound,
    Forbidden,
    Conflict,
    TooManyRequests,
    Gone,
    BadRequest,

    /// <summary>Something the core depends on (the database) does not answer: try again shortly.</summary>
    Unavailable,

    /// <summary>The request is larger than the host reads (HTTP 413).</summary>
    TooLarge,
}

/// <summary>
/// A request the application refuses, with a stable code that pages translate and clients branch on, a title, a
/// sentence a person understands, and the values that sentence carries (so a page can word it in its own language).
/// Field errors carry a code each too. Domain refusals (<c>DomainRuleViolation</c>) carry their own codes.
/// </summary>
public sealed class Refusal(string code, RefusalKind kind, string title, string detail) : Exception(detail)
{
    public const string NotFoundCode = "not-found";
    public const string ForbiddenCode = "forbidden";
    public const string ValidationCode = "validation";

    public string Code { get; } = code;

    public RefusalKind Kind { get; } = kind;

    public string Title { get; } = title;

    /// <summary>Per field, the sentences saying what is wrong.</summary>
    public IDictionary<string, string[]>? Errors { get; init; }

    /// <summary>Per field, the codes of <see cref="Errors"/>, in the same order.</summary>
    public IDictionary<string, string[]>? ErrorCodes { get; init; }

    /// <summary>Values the sentence carries (e.g. attempts left), by name.</summary>
    public IReadOnlyDictionary<string, object>? Values { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public static Refusal NotFound(string what) => new(NotFoundCode, RefusalKind.NotFound, "Not found", what);

    public static Refusal Forbidden(string why) => new(ForbiddenCode, RefusalKind.Forbidden, "Not allowed", why);

    public static Refusal Conflict(string code, string detail) => new(code, RefusalKind.Conflict, "The request cannot be applied", detail);

    /// <summary>One field is wrong.</summary>
    public static Refusal Invalid(string field, string code, string message) => new Validation().Require(false, field, code, message).ToRefusal();
}
