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
