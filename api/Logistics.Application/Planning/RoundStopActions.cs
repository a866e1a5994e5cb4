using Logistics.Application.Parcels;
using Logistics.Application.ProcessManagers;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Rounds;

namespace Logistics.Application.Planning;

/// <summary>
/// A courier works through a stop of their round: each parcel action not yet done goes through the same
/// <see cref="ParcelActions"/> as the parcel endpoints and is marked on the round at once (the answer shows the next
/// stop; <see cref="RoundProgress"/> would mark it from the parcel's event anyway), then the stop is recorded done.
/// </summary>
public sealed class RoundStopActions(EventStreams streams, ParcelActions parcels, RoundProgress progress, FaultInjection faults, ReadSide.PlanningQueries planning)
{
    /// <param name="proof">The proof kept at a home stop (checked by <see cref="DeliveryProofs.Check"/>), for each parcel delivered there.</param>
    public async Task<StopCompletedView> CompleteAsync(
        CourierId courier, string stopId, IReadOnlyList<string>? only, DeliveryProofs.Parts? proof, CommandContext context, CancellationToken cancellationToken)
    {
        var v = new Validation().Require(only is null || only.Count <= InputLimits.ParcelList, "parcels", InputLimits.TooManyCode, $"At most {InputLimits.ParcelList} parcels.");
        v.Require(only is null || only.All(InputLimits.IsId), "parcels", InputLimits.IdSyntaxCode, "Each parcel is named by its id.");
        v.ThrowIfAny();
        var (round, track) = await CurrentAsync(courier, cancellationToken);
        var stop = track.Stop(stopId) ?? throw Refusal.NotFound($"Your round has no stop {stopId}.");
        var unknown = only?.Where(p => !stop.Stop.Parcels.Any(t => t.Parcel.Value == p)).ToList() ?? [];
        if (unknown.Count > 0)
        {
            throw Refusal.Invalid("parcels", "validation.stop-parcel-unknown", $"Stop {stopId} has no parcel {string.Join(", ", unknown)}.");
        }

        if (stop.Completed || track.Stops.Count == 0)
        {
            // The round decides the refusal (a stop done twice, a finished or cancelled round).
            await streams.HandleAsync(RoundStreams.Decider, round.Stream, _ => new CompleteStop(stopId, courier, streams.Clock.GetUtcNow()), context, cancellationToken: cancellationToken);
        }

        var results = new List<StopResultView>();
        foreach (var task in stop.Stop.Parcels.Where(t => !stop.IsSettled(t.Parcel) && (only is null || only.Contains(t.Parcel.Value))))
        {
            int? compartment;
            try
            {
                compartment = await DoAsync(courier, stop.Stop, task, proof, context, cancellationToken);
            }
            catch (DomainRuleViolation)
            {
                // Cancelled by its shop since the plan: nothing to do with it; the next plan drops it.
                if (await parcels.LoadKnownAsync(task.Parcel, cancellationToken) is Domain.Parcels.Parcel.Cancelled)
                {
                    continue;
                }

                throw;
            }

            faults.At(FaultInjection.StopAfterParcelAction);
            await progress.DoneAsync(task.Parcel, task.Kind, courier, streams.Clock.GetUtcNow(), context, cancellationToken);
            results.Add(new StopResultView(task.Parcel.Value, RoundJson.Action(task.Kind), compartment));
        }

        var after = await TrackAsync(round, cancellationToken);
        if (after.Stop(stopId) is { Completed: false })
        {
            await streams.HandleAsync(RoundStreams.Decider, round.Stream, _ => new CompleteStop(stopId, courier, streams.Clock.GetUtcNow()), context, cancellationToken: cancellationToken);
            after = await TrackAsync(round, cancellationToken);
        }

        return new StopCompletedView(stopId, results, NextStop(after));
    }

    private async Task<int?> DoAsync(CourierId courier, RoundStop stop, ParcelTask task, DeliveryProofs.Parts? proof, CommandContext context, CancellationToken cancellationToken)
    {
        switch (task.Kind)
        {
            case TaskKind.PickUp:
                await parcels.PickUpAsync(task.Parcel, courier, context, cancellationToken);
                return task.Compartment;
            case TaskKind.Deposit:
                var locker = (stop.Place as StopPlace.Locker)?.Id;
                return (await parcels.DepositAsync(task.Parcel, courier, locker, context, cancellationToken)).Compartment;
            case TaskKind.DepositAtRelay:
                await parcels.DepositAtRelayAsync(task.Parcel, courier, context, cancellationToken);
                return null;
            case TaskKind.ReturnToShop:
                await parcels.ReturnAsync(task.Parcel, courier, context, cancellationToken);
                return null;
            default:
                await parcels.DeliverAsync(task.Parcel, courier, context, proof, cancellationToken);
                return null;
        }
    }

    /// <summary>Nobody home: the parcel is redirected to a locker and the round re-planned with that deposit.</summary>
    public async Task<StopFailedView> FailAsync(
        CourierId courier, string stopId, string? parcelId, string? reason, DeliveryProofs.Parts? proof, CommandContext context, CancellationToken cancellationToken)
    {
        new Validation().NotBlank(parcelId, "parcelId", "The parcel").Id(parcelId, "parcelId").MaxLength(reason, "reason", InputLimits.Reason).ThrowIfAny();
        var (round, track) = await CurrentAsync(courier, cancellationToken);
        var stop = track.Stop(stopId) ?? throw Refusal.NotFound($"Your round has no stop {stopId}.");
        if (!stop.Stop.Parcels.Any(t => t.Parcel.Value == parcelId && t.Kind == TaskKind.Deliver))
        {
            throw Refusal.Conflict("round.not-a-home-delivery", $"Stop {stopId} delivers no parcel {parcelId} at home.");
        }

        var (locker, why) = await parcels.FailDeliveryAsync(new ParcelId(parcelId!), courier, reason, context, proof, cancellationToken);
        await progress.FailedAsync(new ParcelId(parcelId!), courier, why, streams.Clock.GetUtcNow(), context, cancellationToken);
        return new StopFailedView(stopId, parcelId!, locker.Value, NextStop(await TrackAsync(round, cancellationToken)));
    }

    private static string? NextStop(RoundTrack track) => track.Stops.Find(s => !s.Completed)?.Stop.StopId;

    private async Task<(RoundId Round, RoundTrack Track)> CurrentAsync(CourierId courier, CancellationToken cancellationToken)
    {
        var round = await planning.RoundOfCourierAsync(courier, cancellationToken) ?? throw Refusal.NotFound("You have no round planned.");
        return (round, await TrackAsync(round, cancellationToken));
    }

    private async Task<RoundTrack> TrackAsync(RoundId round, CancellationToken cancellationToken) =>
        Round.TrackOf((await streams.LoadAsync(RoundStreams.Decider, round.Stream, cancellationToken)).State)
            ?? throw Refusal.NotFound("You have no round planned.");
}
