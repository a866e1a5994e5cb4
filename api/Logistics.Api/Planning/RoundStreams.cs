using Logistics.Api.Infrastructure;
using Logistics.Domain.Rounds;

namespace Logistics.Api.Planning;

/// <summary>The round aggregate as the API runs it (load → decide → append).</summary>
public static class RoundStreams
{
    public static readonly Decider<RoundCommand, RoundEvent, Round> Decider = new(RoundDecider.Decide, Round.Evolve, Round.Initial);
}
