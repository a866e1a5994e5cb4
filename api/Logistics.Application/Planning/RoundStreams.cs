using Logistics.Application.Streams;
using Logistics.Domain.Rounds;

namespace Logistics.Application.Planning;

/// <summary>The round aggregate as the API runs it (load → decide → append).</summary>
public static class RoundStreams
{
    public static readonly Decider<RoundCommand, RoundEvent, Round> Decider = new(RoundDecider.Decide, Round.Evolve, Round.Initial);
}
