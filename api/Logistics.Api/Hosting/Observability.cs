using Logistics.Application.Streams;
using Logistics.Application.Telemetry;
using Logistics.EventStore.Postgres;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Logistics.Api.Hosting;

/// <summary>
/// OpenTelemetry for a node: traces from HTTP through each decision, append, projection batch, process manager
/// reaction and board command (the events carry their trace context, so the work that follows a request joins its
/// trace), and the metrics an operator watches — requests by route and status, append latency, projection lag, outbox
/// backlog, boards online, door commands pending, planning runs, wrong codes per locker — with the runtime's and
/// Npgsql's own. Prometheus scrapes <c>/metrics</c> (an operator's key); traces and metrics also go to an OTLP
/// collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names one.
/// </summary>
public static class Observability
{
    public const string MetricsPath = "/metrics";

    public static void AddLogisticsTelemetry(this IServiceCollection services)
    {
        var otlp = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        services.AddSingleton<OperationsSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<OperationsSampler>());
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("logistics-api", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(tracing =>
            {
                tracing
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => http.Request.Path != MetricsPath)
                    .AddHttpClientInstrumentation()
                    .AddSource(AppTelemetry.SourceName, StoreTelemetry.SourceName, "Npgsql");
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(AppTelemetry.SourceName, StoreTelemetry.SourceName, "Npgsql")
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
    }

    /// <summary>The Prometheus scrape endpoint, for operators (or the scraper, given an operator's key): figures, no personal data.</summary>
    public static void MapMetrics(this WebApplication app) =>
        // The deployment's figures (every network's boards, lockers and requests): the federation's, not one town's operator's.
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(policy => policy.RequireRole(Roles.Federation)).ExcludeFromDescription();
}
