using Logistics.Application.Notifications;
using Logistics.Application.Parcels;
using Logistics.Application.Planning;
using Logistics.Application.ProcessManagers;

namespace Logistics.Api.Hosting;

/// <summary>What a host needs: the database, where to listen, the clock, how to send messages.</summary>
public sealed record LogisticsOptions
{
    public required string ConnectionString { get; init; }

    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>An operator key to accept from the start (e.g. from configuration); more can be issued later.</summary>
    public string? OperatorKey { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public ParcelPolicy Policy { get; init; } = new();

    /// <summary>Cut-off times, solver budget, courier speeds.</summary>
    public PlanningOptions Planning { get; init; } = new();

    /// <summary>Projections, the outbox dispatcher and the time-driven work run in the background (tests may drive them).</summary>
    public bool BackgroundWork { get; init; } = true;

    public SmtpSettings? Smtp { get; init; }

    public SmsGatewaySettings? Sms { get; init; }

    /// <summary>Points where tests make a workflow "crash" between two steps; never armed in production.</summary>
    public FaultInjection Faults { get; init; } = new();

    /// <summary>Replaces the senders (tests capture messages); by default SMTP/SMS when configured, else the log.</summary>
    public IReadOnlyList<INotificationSender>? Senders { get; init; }
}
