using Logistics.Application.Networks;
using Logistics.Application.Streams;

namespace Logistics.Application.Access;

/// <summary>Who asks: a role, the id of the shop, courier, locker or operator behind the key, and its network.</summary>
public sealed record Caller(string Role, string SubjectId, string Network = NetworkIds.Default)
{
    public bool IsOperator => Role == Roles.Operator;
}
