using Logistics.Application.Notifications;
using Logistics.Application.Parcels;
using Logistics.Application.Planning;
using Logistics.Application.ProcessManagers;
using Logistics.EventStore.PersonalData;

namespace Logistics.Api.Hosting;

/// <summary>What a host needs: the database, where to listen, the clock, how to send messages.</summary>
public sealed record LogisticsOptions
{
    public required string ConnectionString { get; init; }

    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>An operator key to accept from the start (e.g. from configuration); more can be issued later.</summary>
    public string? OperatorKey { get; init; }

    /// <summary>The network <see cref="OperatorKey"/> operates (default <c>main</c>).</summary>
    public string OperatorNetwork { get; init; } = Application.Networks.NetworkIds.Default;

    /// <summary>A federation operator's key to accept from the start: sees every network, creates networks.</summary>
    public string? FederationKey { get; init; }

    /// <summary>
    /// The public half of the release key (PEM; LOGISTICS_RELEASE_PUBLIC_KEY names its file): releases of the board
    /// program are checked against it when they are published. Without it the core takes no release.
    /// </summary>
    public string? ReleasePublicKey { get; init; }

    /// <summary>The address people reach the pages at (behind the load balancer), used in e-mailed links; else the address listened on.</summary>
    public string? PublicUrl { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public ParcelPolicy Policy { get; init; } = new();

    /// <summary>Cut-off times, solver budget, courier speeds.</summary>
    public PlanningOptions Planning { get; init; } = new();

    /// <summary>Projections, the outbox dispatcher and the time-driven work run in the background (tests may drive them).</summary>
    public bool BackgroundWork { get; init; } = true;

    /// <summary>Requests one client address may make per minute to the anonymous tracking endpoints (lookups and codes).</summary>
    public int TrackingRequestsPerMinute { get; init; } = DefaultTrackingRequestsPerMinute;

    public const int DefaultTrackingRequestsPerMinute = 60;

    /// <summary>Live feeds (<c>/api/live</c>) open at once on this node; past it a page gets 429 and refreshes without one.</summary>
    public int LiveFeedConnections { get; init; } = 2_000;

    /// <summary>Live feeds open at once from one client address (a shop's few tabs, or a whole office behind one address).</summary>
    public int LiveFeedConnectionsPerAddress { get; init; } = 32;

    /// <summary>The street tiles of the pages' maps (LOGISTICS_MAP_TILES, LOGISTICS_MAP_ATTRIBUTION); none: a plain background.</summary>
    public Pages.MapTiles? MapTiles { get; init; }

    /// <summary>Sign-in attempts (password or e-mailed link) one client address may make per minute.</summary>
    public int SignInRequestsPerMinute { get; init; } = 30;

    /// <summary>
    /// Downloads of released board programs (manifests and bundles, anonymous) one client address may make per minute:
    /// a board fetches two files per update; a few boards may share a site's address.
    /// </summary>
    public int ReleaseDownloadsPerMinute { get; init; } = 12;

    /// <summary>Wrong passwords in a row after which an account is locked for <see cref="SignInLockout"/>.</summary>
    public int SignInFailuresBeforeLockout { get; init; } = 5;

    public TimeSpan SignInLockout { get; init; } = TimeSpan.FromMinutes(5);

    public SmtpSettings? Smtp { get; init; }

    public SmsGatewaySettings? Sms { get; init; }

    /// <summary>Run without sending anything to recipients (no SMTP relay or SMS gateway): an explicit choice, never a default.</summary>
    public bool NoNotifications { get; init; }

    /// <summary>
    /// Webhooks may go to plain <c>http</c> URLs (the demo, tests on loopback; <c>LOGISTICS_WEBHOOKS_ALLOW_HTTP=1</c>):
    /// otherwise only <c>https</c>, so a shop's events and their signatures cross no network in clear.
    /// </summary>
    public bool WebhooksAllowPlainHttp { get; init; }

    /// <summary>
    /// How often a board's session looks for queued commands when nothing woke it (a command queued on any node wakes
    /// it at once: in-process, or through PostgreSQL's NOTIFY); a safety net.
    /// </summary>
    public TimeSpan CommandPoll { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The key-encryption keys that wrap every person's key in the database (LOGISTICS_PERSONAL_DATA_KEK, kept apart
    /// from the database and its backups). Required: a host without them does not start.
    /// </summary>
    public KeyEncryptionKeys? KeyEncryptionKeys { get; init; }

    /// <summary>
    /// The erasure ledger's file (LOGISTICS_ERASURE_LEDGER): on storage that restoring the database does not roll back,
    /// shared by every node. Required: a host without it does not start.
    /// </summary>
    public string? ErasureLedger { get; init; }

    /// <summary>More logging configuration (tests read every line the host writes).</summary>
    public Action<ILoggingBuilder>? Logging { get; init; }

    /// <summary>Points where tests make a workflow "crash" between two steps; never armed in production.</summary>
    public FaultInjection Faults { get; init; } = new();

    /// <summary>
    /// Process managers run beside the product's own, each from its own checkpoint (tests add one that is stuck, to
    /// show that the others go on without it). None in production.
    /// </summary>
    public IReadOnlyList<IProcessManager> ExtraProcessManagers { get; init; } = [];

    /// <summary>Replaces the senders (tests capture messages, the demo keeps an inbox); by default SMTP and the SMS gateway.</summary>
    public IReadOnlyList<INotificationSender>? Senders { get; init; }
}
