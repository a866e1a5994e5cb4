using Logistics.Application.ProcessManagers;
using Logistics.Application.ReadSide;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;
using Logistics.EventStore.Subscriptions;

namespace Logistics.Application.Planning;

/// <summary>
/// Keeps rounds in step with what couriers do to parcels, whichever way they did it (a round's stop or the parcel's
/// own endpoint): it follows the parcels' events on the global log and marks each action done on the round that plans
/// it; a failed home delivery fails its stop and, unless the round already plans the redirected parcel's deposit,
/// re-plans the courier's round. A stop's completion marks its own round at once too (its answer shows the next
/// stop); marking twice changes nothing.
/// </summary>
public sealed partial class RoundProgress(EventStreams streams, PlanningQueries planning, RoundPlanner planner, ILogger<RoundProgress> logger) : IProcessManager
{
    public const string ProcessName = "rounds";

    public string Name => ProcessName;

    private static readonly HashSet<Type> Followed =
    [
        typeof(HomeDeliveryFailed), typeof(ParcelPickedUp), typeof(ParcelDeposited), typeof(ParcelDepositedInHomeBox),
        typeof(ParcelDepositedAtRelay), typeof(ParcelDelivered), typeof(ParcelReturned),
    ];

    public bool Follows(Type eventClass) => Followed.Contains(eventClass);

    public async Task HandleAsync(EventEnvelope e, CancellationToken cancellationToken)
    {
        if (e.Event is HomeDeliveryFailed failed)
        {
            await FailedAsync(failed.ParcelId, failed.Courier, failed.Reason, failed.At, CommandContext.FollowingFrom(e.Recorded, ProcessName, "failed"), cancellationToken);
            return;
        }

        (ParcelId Parcel, TaskKind Kind, CourierId Courier, DateTimeOffset At)? done = e.Event switch
        {
            ParcelPickedUp p => (p.ParcelId, TaskKind.PickUp, p.Courier, p.At),
            ParcelDeposited d => (d.ParcelId, TaskKind.Deposit, d.Courier, d.At),
            ParcelDepositedInHomeBox d => (d.ParcelId, TaskKind.Deposit, d.Courier, d.At),
            ParcelDepositedAtRelay d => (d.ParcelId, TaskKind.DepositAtRelay, d.Courier, d.At),
            ParcelDelivered d => (d.ParcelId, TaskKind.Deliver, d.Courier, d.At),
            ParcelReturned r => (r.ParcelId, TaskKind.ReturnToShop, r.Courier, r.At),
            _ => null,
        };
        if (done is { } d2)
        {
            await DoneAsync(d2.Parcel, d2.Kind, d2.Courier, d2.At, CommandContext.FollowingFrom(e.Recorded, ProcessName, "done"), cancellationToken);
        }
    }

    /// <summary>Marks a parcel action done on the round that plans it (nothing when no round plans it, or it is marked already).</summary>
    public async Task DoneAsync(ParcelId parcel, TaskKind kind, CourierId courier, DateTimeOffset at, CommandContext context, CancellationToken cancellationToken)
    {
        if (await RoundOfAsync(parcel, cancellationToken) is not { } round)
        {
            return;
        }

        try
        {
            await streams.HandleAsync(RoundStreams.Decider, round.Stream, _ => new RecordParcelDone(parcel, kind, courier, at), context, cancellationToken: cancellationToken);
        }
        catch (DomainRuleViolation refusal)
        {
            // Done off-plan (another courier, an action the round does not hold): the next planning run takes it into account.
            LogOffPlan(logger, parcel.Value, round.Value, refusal.Message);
        }
    }

    /// <summary>Fails the home delivery's stop and re-plans the courier's round so that the redirected parcel gets its deposit.</summary>
    public async Task FailedAsync(ParcelId parcel, CourierId courier, PersonalText reason, DateTimeOffset at, CommandContext context, CancellationToken cancellationToken)
    {
        if (await RoundOfAsync(parcel, cancellationToken) is { } round)
        {
            try
            {
                var outcome = await streams.HandleAsync(
                    RoundStreams.Decider, round.Stream, _ => new RecordDeliveryFailed(parcel, courier, reason, at), context, cancellationToken: cancellationToken);
                if (Round.TrackOf(outcome.State) is { } track && PlansDeposit(track, parcel))
                {
                    return;
                }
            }
            catch (DomainRuleViolation refusal)
            {
                LogOffPlan(logger, parcel.Value, round.Value, refusal.Message);
            }
        }

        await planner.ReplanCourierAsync(courier, context, cancellationToken);
    }

    private static bool PlansDeposit(RoundTrack track, ParcelId parcel) =>
        track.Stops.Any(s => !s.Completed && s.Stop.Parcels.Any(t => t.Parcel == parcel && t.Kind == TaskKind.Deposit));

    private Task<RoundId?> RoundOfAsync(ParcelId parcel, CancellationToken cancellationToken) => planning.RoundOfParcelAsync(parcel, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Parcel {Parcel} handled off its round {Round}: {Reason}")]
    private static partial void LogOffPlan(ILogger logger, string parcel, string round, string reason);
}
