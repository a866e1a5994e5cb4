using System.Diagnostics.CodeAnalysis;

namespace Logistics.Domain;

/// <summary>
/// A command refused by a decider. <see cref="Code"/> is stable and meant for machines (the API maps it to a
/// problem type); the message names the current state and the reason, and is meant for people.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "A business name: the API and tests speak of rule violations.")]
public sealed class DomainRuleViolation : Exception
{
    public DomainRuleViolation(string code, string message)
        : base(message) => Code = code;

    public DomainRuleViolation()
        : this("domain.rule-violated", "The command breaks a rule of the domain.")
    {
    }

    public DomainRuleViolation(string message)
        : this("domain.rule-violated", message)
    {
    }

    public DomainRuleViolation(string message, Exception innerException)
        : base(message, innerException) => Code = "domain.rule-violated";

    /// <summary>Stable machine code, e.g. <c>parcel.already-collected</c>.</summary>
    public string Code { get; }
}
