using Logistics.Application.Streams;

namespace Logistics.Application.Access;

/// <summary>Who asks: a role and the id of the shop, courier, locker or operator behind the key.</summary>
public sealed record Caller(string Role, string SubjectId)
{
    public bool IsOperator => Role == Roles.Operator;
}
