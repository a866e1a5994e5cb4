namespace Logistics.Application.Refusals;

/// <summary>Collects field errors and refuses the request with all of them at once.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public Validation Require(bool ok, string field, string message)
    {
        if (!ok)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                list = [];
                _errors[field] = list;
            }

            list.Add(message);
        }

        return this;
    }

    public Validation NotBlank(string? value, string field, string label) =>
        Require(!string.IsNullOrWhiteSpace(value), field, $"{label} is required.");

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw Refusal.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }
}
