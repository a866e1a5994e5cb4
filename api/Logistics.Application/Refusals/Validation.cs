namespace Logistics.Application.Refusals;

/// <summary>Collects field errors (each a code and a sentence) and refuses the request with all of them at once.</summary>
public sealed class Validation
{
    /// <summary>The code of a required field left empty; next to the field, "required" says enough.</summary>
    public const string Required = "validation.required";

    private readonly Dictionary<string, List<(string Code, string Message)>> _errors = new(StringComparer.Ordinal);

    public Validation Require(bool ok, string field, string code, string message)
    {
        if (!ok)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                list = [];
                _errors[field] = list;
            }

            list.Add((code, message));
        }

        return this;
    }

    public Validation NotBlank(string? value, string field, string label) =>
        Require(!string.IsNullOrWhiteSpace(value), field, Required, $"{label} is required.");

    /// <summary>A string no longer than <paramref name="max"/> characters (absent is fine: <see cref="NotBlank"/> says if it is needed).</summary>
    public Validation MaxLength(string? value, string field, int max) =>
        Require(value is null || value.Length <= max, field, InputLimits.TooLongCode, $"At most {max} characters.");

    /// <summary>An id of <see cref="InputLimits.IsId"/>'s syntax (absent is fine).</summary>
    public Validation Id(string? value, string field) =>
        Require(value is null || InputLimits.IsId(value.Trim()), field, InputLimits.IdSyntaxCode, $"Not an id: at most {InputLimits.Id} letters, digits, '.', '_', ':' or '-'.");

    public Validation Range(long? value, string field, long min, long max) =>
        Require(value is null || (value >= min && value <= max), field, InputLimits.OutOfRangeCode, $"Between {min} and {max}.");

    /// <summary>A defined value of an enum (absent is fine).</summary>
    public Validation Defined<TEnum>(TEnum? value, string field)
        where TEnum : struct, Enum =>
        Require(value is null || Enum.IsDefined(value.Value), field, InputLimits.OutOfRangeCode, $"One of {string.Join(", ", Enum.GetNames<TEnum>())}.");

    /// <summary>A latitude and a longitude both given and valid, or both absent when <paramref name="required"/> is false.</summary>
    public Validation Position(double? latitude, double? longitude, string field, bool required)
    {
        if (!required && latitude is null && longitude is null)
        {
            return this;
        }

        return Require(InputLimits.IsLatitude(latitude) && InputLimits.IsLongitude(longitude), field, InputLimits.PositionCode, "A position needs a latitude between -90 and 90 and a longitude between -180 and 180.");
    }

    /// <summary>A time within <see cref="InputLimits.Horizon"/> of <paramref name="now"/> (absent is fine).</summary>
    public Validation Near(DateTimeOffset? value, DateTimeOffset now, string field) =>
        Require(value is null || (value >= now - InputLimits.Horizon && value <= now + InputLimits.Horizon), field, InputLimits.DateRangeCode, "This time is too far from today.");

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw ToRefusal();
        }
    }

    internal Refusal ToRefusal() => new(
        Refusal.ValidationCode,
        RefusalKind.Invalid,
        "Some fields need attention",
        string.Join(" ", _errors.SelectMany(e => e.Value).Select(e => e.Message)))
    {
        Errors = _errors.ToDictionary(e => e.Key, e => e.Value.Select(x => x.Message).ToArray()),
        ErrorCodes = _errors.ToDictionary(e => e.Key, e => e.Value.Select(x => x.Code).ToArray()),
    };
}
