using Logistics.Domain.HomeBoxes;
using Logistics.EventStore.Subscriptions;

namespace Logistics.Application.HomeBoxes;

/// <summary>Which lockers are home boxes and whether each is paired: no resident's data (that stays sealed in the stream).</summary>
public sealed class HomeBoxesProjection : IProjection
{
    public string Name => "home-boxes";

    public Task EnsureSchemaAsync(ProjectionContext context, CancellationToken cancellationToken) => context.ExecuteAsync(
        """
        create table if not exists rm_home_boxes (
            box_id text primary key,
            paired boolean not null default false,
            since timestamptz not null
        );
        """,
        cancellationToken);

    public Task ResetAsync(ProjectionContext context, CancellationToken cancellationToken) =>
        context.ExecuteAsync("truncate rm_home_boxes", cancellationToken);

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        foreach (var envelope in events)
        {
            switch (envelope.Event)
            {
                case HomeBoxProvisioned p:
                    await context.ExecuteAsync("insert into rm_home_boxes (box_id, since) values ($1, $2) on conflict do nothing", cancellationToken, p.Box.Value, p.At);
                    break;
                case HomeBoxClaimed c:
                    await context.ExecuteAsync("update rm_home_boxes set paired = true, since = $2 where box_id = $1", cancellationToken, c.Box.Value, c.At);
                    break;
                case HomeBoxReleased r:
                    await context.ExecuteAsync("update rm_home_boxes set paired = false, since = $2 where box_id = $1", cancellationToken, r.Box.Value, r.At);
                    break;
            }
        }
    }
}
