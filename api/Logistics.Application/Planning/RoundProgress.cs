using Logistics.Application.Projections;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Rounds;

namespace Logistics.Application.Planning;

/// <summary>
/// Keeps rounds in step with what couriers do to parcels, whichever endpoint they use (the round's stop or the
/// parcel's own action): each done action is marked on the round that plans it; a failed home delivery fails its
/// stop and re-plans the courier's round so that the redirected parcel gets its locker deposit.
/// </summary>
public sealed partial class RoundProgress(EventStreams streams, ReadModels reads, RoundPlanner planner, ILogger<RoundProgress> logger)
{
    public async Task DoneAsync(ParcelId parcel, TaskKind kind, CourierId courier, CommandContext context, CancellationToken cancellationToken)
    {
        if (await RoundOfAsync(parcel, cancellationToken) is not { } round)
        {
            return;
        }

        try
        {
            await streams.HandleAsync(RoundStreams.Decider, round.Stream, _ => new RecordParcelDone(parcel, kind, courier, streams.Clock.GetUtcNow()), context, cancellationToken: cancellationToken);
        }
        catch (DomainRuleViolation refusal)
        {
            // Done off-plan (another courier, an action the round does not hold): the next planning run takes it into account.
            LogOffPlan(logger, parcel.Value, round.Value, refusal.Message);
        }
    }

    public async Task FailedAsync(ParcelId parcel, CourierId courier, string reason, CommandContext context, CancellationToken cancellationToken)
    {
        if (await RoundOfAsync(parcel, cancellationToken) is { } round)
        {
            try
            {
                await streams.HandleAsync(
                    RoundStreams.Decider, round.Stream, _ => new RecordDeliveryFailed(parcel, courier, reason, streams.Clock.GetUtcNow()), context, cancellationToken: cancellationToken);
            }
            catch (DomainRuleViolation refusal)
            {
                LogOffPlan(logger, parcel.Value, round.Value, refusal.Message);
            }
        }

        await planner.ReplanCourierAsync(courier, context, cancellationToken);
    }

    private async Task<RoundId?> RoundOfAsync(ParcelId parcel, CancellationToken cancellationToken) =>
        await reads.QueryAsync("select round_id from planning_parcels where parcel_id = $1", r => r.GetString(0), cancellationToken, parcel.Value) is [var id]
            ? new RoundId(id)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Parcel {Parcel} handled off its round {Round}: {Reason}")]
    private static partial void LogOffPlan(ILogger logger, string parcel, string round, string reason);
}
