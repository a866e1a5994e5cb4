using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Logistics.Api.Tests.Support;
using Logistics.Application.Telemetry;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Hosting;

/// <summary>
/// Issue 12, part 4: what the deployment's Prometheus scrapes from <c>/metrics</c> with the federation's key (requests by route and status, append
/// latency, projection lag, outbox backlog, boards online, door commands pending, planning runs, wrong codes per
/// locker), and one trace that follows a deposit from its HTTP request through the decision and the append to the
/// board's command, with the projection batch that applied it linked to it.
/// </summary>
public sealed class ObservabilityTests : ApiTest
{
    [Fact]
    public async Task TheMetricsEndpointShowsTheDeploymentsFiguresToTheFederationOnly()
    {
        await using var board = await Net.BoardAsync();
        var deposit = await Net.DepositedAsync();
        var wrong = await Net.Customer.PostJsonAsync($"/api/track/{deposit.TrackingId}/collect", new { code = WrongCode(deposit.Code) });
        Assert.False(wrong.IsSuccessStatusCode);
        await (await Server.Operator().PostJsonAsync("/api/planning/run", null)).OkAsync();
        await Server.SettleAsync();
        await Server.Services.GetRequiredService<OperationsSampler>().SampleAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Client().GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Server.Client(Net.ShopKey).GetAsync("/metrics")).StatusCode);
        // Every network's lockers and requests are in it: one network's operator is refused.
        Assert.Equal(HttpStatusCode.Forbidden, (await Server.Operator().GetAsync("/metrics")).StatusCode);
        var scrape = await Server.Federation().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Matches(Series("http_server_request_duration_seconds_count", "http_response_status_code=\"201\"", "http_route=\"/api/parcels"), text);
        Assert.Matches(Series("logistics_events_append_duration_seconds_count", "outcome=\"appended\"", "stream=\"parcel\""), text);
        Assert.Matches(Series("logistics_projection_lag_seconds", "projection=\"parcels\""), text);
        Assert.Matches(Series("logistics_projection_lag_events", "projection=\"parcels\""), text);
        Assert.Matches(Series("logistics_outbox_pending", "queue=\"notifications\""), text);
        Assert.Matches(Series("logistics_outbox_oldest_seconds", "queue=\"webhooks\""), text);
        Assert.Matches(Series("logistics_boards_online"), text);
        Assert.Matches(Series("logistics_door_commands_pending"), text);
        Assert.Matches(Series("logistics_door_commands_oldest_seconds"), text);
        Assert.Matches(Series("logistics_planning_runs_total", "kind=\"all\"", "outcome=\"planned\""), text);
        Assert.Matches(Series("logistics_planning_duration_seconds_count", "kind=\"all\""), text);
        // The wrong code typed for this locker's parcel is counted for this locker.
        Assert.Matches(new Regex($"logistics_codes_wrong\\{{[^}}]*locker=\"{Regex.Escape(Net.LockerId)}\"[^}}]*\\}} 1(\\s|$)", RegexOptions.Multiline), text);
        // Figures only: no code, phone or name in what the scraper gets.
        Assert.DoesNotContain(deposit.Code, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestNetwork.Phone.Replace(" ", "", StringComparison.Ordinal)[^6..], text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADepositsTraceGoesFromItsRequestThroughTheDecisionAndAppendToTheBoardsCommandAndTheProjection()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or AppTelemetry.SourceName or EventStore.Postgres.StoreTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var board = await Net.BoardAsync();
        var (parcel, _) = await Net.RegisterForLockerAsync();
        await Server.SettleAsync();
        await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null);

        var deposited = await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null);
        Assert.Equal(HttpStatusCode.OK, deposited.StatusCode);
        await Server.SettleAsync();

        var request = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == $"/api/parcels/{parcel}/deposit");
        var trace = spans.Where(s => s.TraceId == request.TraceId).ToList();
        Assert.Contains(trace, s => s.DisplayName.StartsWith("decide ", StringComparison.Ordinal) && s.GetTagItem("logistics.stream.category") as string == "parcel");
        Assert.Contains(trace, s => s.DisplayName == "append" && s.GetTagItem("logistics.outcome") as string == "appended");
        Assert.Contains(trace, s => s.DisplayName == "board command OpenForDeposit" && s.GetTagItem("logistics.locker") as string == Net.LockerId);
        Assert.Contains(spans, s => s.DisplayName == "project parcels" && s.Links.Any(l => l.Context.TraceId == request.TraceId));
    }

    private static Regex Series(string name, params string[] labels) =>
        new($"^{Regex.Escape(name)}\\{{{string.Concat(labels.Select(l => $"(?=[^}}]*{Regex.Escape(l)})"))}[^}}]*\\}} [0-9.eE+-]+", RegexOptions.Multiline);

    private static string WrongCode(string code) => string.Concat(code.Select(c => c == '9' ? '0' : (char)(c + 1)));
}
