using Logistics.Api.Accounts;
using Logistics.Api.Couriers;
using Logistics.Api.Gateway;
using Logistics.Api.HomeBoxes;
using Logistics.Api.Infrastructure;
using Logistics.Api.Labels;
using Logistics.Api.Lockers;
using Logistics.Api.Operators;
using Logistics.Api.Pages;
using Logistics.Api.Parcels;
using Logistics.Api.Planning;
using Logistics.Api.Tracking;
using Logistics.Api.Webhooks;
using Logistics.Application.Access;
using Logistics.Application.Idempotency;
using Logistics.Application.Lockers;
using Logistics.Application.Networks;
using Logistics.Application.Notifications;
using Logistics.Application.Parcels;
using Logistics.Application.Planning;
using Logistics.Application.ProcessManagers;
using Logistics.Application.Projections;
using Logistics.Application.ReadSide;
using Logistics.Application.Refusals;
using Logistics.Application.Scheduling;
using Logistics.Application.Schema;
using Logistics.Application.Streams;
using Logistics.Application.Tracking;
using Logistics.Application.Webhooks;
using Logistics.EventStore.PersonalData;
using Logistics.EventStore.Postgres;
using Logistics.EventStore.Serialization;

namespace Logistics.Api.Hosting;

/// <summary>The composition root: builds the web application over a PostgreSQL database.</summary>
public static class LogisticsApp
{
    public static async Task<WebApplication> BuildAsync(LogisticsOptions options, string[]? args = null, CancellationToken cancellationToken = default)
    {
        var (keks, ledger) = PersonalDataSettings(options);
        // The pages are copied next to the assembly, so any host serves them wherever it was started from.
        var pages = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args ?? [], WebRootPath = Directory.Exists(pages) ? pages : null });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Bodies and paths as InputLimits says: a body over its limit is refused while read (InputGuard refuses
            // one announced too large before); a path carrying a 10 kB id still reaches the app, to be refused there.
            kestrel.Limits.MaxRequestBodySize = InputLimits.BodyBytes;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
        });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        options.Logging?.Invoke(builder.Logging);

        // Statements prepared after two uses (PostgresDataSource says why); a connection string that sets them keeps its own.
        var dataSource = PostgresDataSource.Create(options.ConnectionString);
        await ApplicationSchema.EnsureAsync(dataSource, cancellationToken);
        var keys = new PostgresPersonalDataKeys(dataSource, keks, options.Clock);
        // Keys written before wrapping, or under a previous KEK, are wrapped under the current one; a key under a KEK
        // this host was not given stops the start here (UnknownKeyEncryptionKeyException), rather than read as erased.
        await keys.RewrapAsync(cancellationToken);
        var serializer = DomainEvents.Serializer(keys);
        var store = new PostgresEventStore(dataSource);

        var services = builder.Services;
        services.AddSingleton(dataSource);
        services.AddSingleton(options);
        services.AddSingleton(options.Clock);
        services.AddSingleton(options.Policy);
        services.AddSingleton<IPersonalDataKeys>(keys);
        services.AddSingleton(keks);
        services.AddSingleton(ledger);
        services.AddSingleton(new PersonalDataSealer(keys));
        services.AddSingleton(serializer);
        services.AddSingleton(store);
        services.AddSingleton(await PickupCodes.LoadAsync(dataSource, cancellationToken));
        services.AddSingleton<EventStreams>();
        services.AddSingleton<NodeLiveness>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeLiveness>());
        services.AddSingleton<IdempotencyStore>();
        // Part of serving requests, not background work: a request's end the database missed is written once it is back.
        services.AddHostedService<IdempotencyWriteBehind>();
        services.AddSingleton<ParcelQueries>();
        services.AddSingleton<LockerQueries>();
        services.AddSingleton<DirectoryQueries>();
        services.AddSingleton<FigureQueries>();
        services.AddSingleton<NetworkDirectory>();
        services.AddSingleton<PlanningQueries>();
        services.AddSingleton<RoundQueries>();
        services.AddSingleton<ReadModelProgress>();
        services.AddSingleton<DatabaseHealth>();
        services.AddSingleton<PlanningReads>();
        services.AddSingleton<CodeFailures>();
        services.AddSingleton<SharedCodes>();
        services.AddSingleton<CourierAssignments>();
        services.AddSingleton<RecipientErasure>();
        services.AddSingleton<CustomerTimeline>();
        services.AddSingleton<TrackingQuery>();
        services.AddSingleton<Outbox>();
        services.AddSingleton(options.Faults);
        services.AddSingleton<Compartments>();
        services.AddSingleton<DeliveryProofs>();
        services.AddSingleton<Application.HomeBoxes.HomeBoxes>();
        services.AddSingleton<ParcelActions>();
        services.AddSingleton<ParcelImport>();
        services.AddSingleton<OrderIntake>();
        services.AddSingleton(new WebhookOptions(options.WebhooksAllowPlainHttp));
        services.AddSingleton<WebhookSubscriptions>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<IProcessManager, WebhookFanOut>();
        // Webhooks follow no redirect: an endpoint is where the shop said, never where its answer points.
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = WebhookDispatcher.SendTimeout });
        services.AddSingleton<CompartmentReconciler>();
        services.AddSingleton<CompartmentRepairJob>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<Pages.LiveChanges>();
        services.AddSingleton<ProjectionHost>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<ParcelScheduler>();
        services.AddSingleton(await CommandSigner.LoadAsync(dataSource, cancellationToken));
        services.AddSingleton(sp => new LockerDevices(dataSource, sp.GetRequiredService<CommandSigner>(), options.Clock, options.CommandPoll));
        services.AddSingleton(sp => new LockerReleases(dataSource, sp.GetRequiredService<LockerDevices>(), options.Clock, options.ReleasePublicKey is { } releaseKey ? LockerReleases.ParseKey(releaseKey) : null));
        // Part of serving boards, not background work: a command queued on another node wakes the board's session here.
        services.AddSingleton<CommandWakeups>();
        services.AddHostedService(sp => sp.GetRequiredService<CommandWakeups>());
        services.AddSingleton<DeviceEventHandler>();
        services.AddSingleton<LockerGateway>();
        services.AddSingleton<BoardScope>();
        services.AddSingleton<SecurityEvents>();
        services.AddSingleton<LockerSessions>();
        services.AddSingleton<BoardCodes>();
        services.AddSingleton(options.Planning);
        services.AddSingleton(sp => new PlanningTravel(options.ConnectionString, dataSource, options.Planning, sp.GetRequiredService<ILogger<PlanningTravel>>()));
        services.AddSingleton<RoundPlanner>();
        services.AddSingleton<RoundProgress>();
        services.AddSingleton<IProcessManager, LockerFollowUp>();
        services.AddSingleton<IProcessManager>(sp => sp.GetRequiredService<RoundProgress>());
        foreach (var extra in options.ExtraProcessManagers)
        {
            services.AddSingleton<IProcessManager>(extra);
        }

        services.AddSingleton<ProcessManagerHost>();
        services.AddSingleton<RoundStopActions>();
        services.AddSingleton<PlanningScheduler>();
        AddSenders(services, options);
        if (options.BackgroundWork)
        {
            services.AddHostedService(sp => sp.GetRequiredService<ProjectionHost>());
            services.AddHostedService(sp => sp.GetRequiredService<ProcessManagerHost>());
            services.AddHostedService(sp => sp.GetRequiredService<CompartmentRepairJob>());
            services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
            services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
            services.AddHostedService(sp => sp.GetRequiredService<ParcelScheduler>());
            services.AddHostedService(sp => sp.GetRequiredService<PlanningScheduler>());
        }

        services.ConfigureHttpJsonOptions(o => ConfigureRequestJson(o.SerializerOptions));
        // A body that does not bind (malformed JSON, a wrong type, an enum as a number) throws, so it is answered
        // with the same problem document as every other refusal rather than a bare 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemExceptionHandler.AddCode);
        services.AddLogisticsRateLimits(options);
        // Behind the load balancer, the client's address comes from X-Forwarded-For, believed from loopback proxies only.
        services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(o => o.ForwardedHeaders =
            Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Machines by API key, people by a session cookie (Accounts/Sessions).
        services.AddSharedKeyRing(dataSource, keks);
        services.AddSessions(options);
        services.AddSingleton<Mail>();
        services.AddAuthorization();
        services.AddLogisticsOpenApi();
        services.AddHttpClient();
        services.AddLogisticsTelemetry();

        var app = builder.Build();

        // The data source is this host's: its pooled connections close when the host stops, not minutes later when they
        // would have idled out (a process that starts cores one after another, as the tests do, otherwise runs
        // PostgreSQL out of connections).
        app.Lifetime.ApplicationStopped.Register(dataSource.Dispose);
        // Held before serving: a claim this node makes is never taken for a dead node's.
        await app.Services.GetRequiredService<NodeLiveness>().HoldAsync(cancellationToken);
        await app.Services.GetRequiredService<ProjectionHost>().EnsureSchemaAsync(cancellationToken);
        await app.Services.GetRequiredService<ProcessManagerHost>().EnsureCheckpointsAsync(cancellationToken);
        if (await app.Services.GetRequiredService<RecipientErasure>().ReapplyLedgerAsync(cancellationToken) is > 0 and var again)
        {
            app.Logger.LogWarning("The erasure ledger erased {Count} people again: the database predates their erasure (a restored backup?)", again);
        }
        if (!string.IsNullOrEmpty(options.OperatorKey))
        {
            await app.Services.GetRequiredService<ApiKeys>().StoreAsync(options.OperatorKey, new Credential(Roles.Operator, "operator", "Operator", options.OperatorNetwork), cancellationToken);
            await app.Services.GetRequiredService<NetworkDirectory>().EnsureAsync(options.OperatorNetwork, options.OperatorNetwork, cancellationToken);
        }

        if (!string.IsNullOrEmpty(options.FederationKey))
        {
            await app.Services.GetRequiredService<ApiKeys>().StoreAsync(options.FederationKey, new Credential(Roles.Federation, "federation", "Federation", NetworkIds.All), cancellationToken);
        }

        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseAuthentication();

        // From here on the request sees its caller's network only (NetworkScope): another network's streams load empty.
        app.Use(async (http, next) =>
        {
            using (NetworkScope.Enter(Auth.CallerExtensions.Network(http.User)))
            {
                await next(http);
            }
        });
        app.UseMiddleware<SessionAntiforgery>();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<InputGuard>();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Logistics API");
            o.RoutePrefix = "docs";
        });
        app.MapHealth();
        app.MapMetrics();
        app.MapAccountEndpoints();
        app.MapNetworkEndpoints();
        app.MapFigureEndpoints();
        app.MapOperationsEndpoints();
        app.MapFederationEndpoints();
        app.MapParcelEndpoints();
        app.MapImportEndpoints();
        app.MapOrderEndpoints();
        app.MapWebhookEndpoints();
        app.MapLabelEndpoints();
        app.MapProofEndpoints();
        app.MapTrackingEndpoints();
        app.MapLockerEndpoints();
        app.MapHomeBoxEndpoints();
        app.MapCourierEndpoints();
        app.MapPlanningEndpoints();
        app.MapGatewayEndpoints();
        app.MapReleaseEndpoints();
        app.MapPages();
        return app;
    }

    /// <summary>
    /// The API's JSON: enums by their names only (an integer such as <c>"size": 7</c> names no size, and would break
    /// every later use of the parcel; see <see cref="EnumNamesConverterFactory"/>), and at most <see cref="InputLimits.JsonDepth"/> levels deep. The event store's
    /// options and the board link's <c>LinkJson</c> keep their own settings.
    /// </summary>
    public static void ConfigureRequestJson(System.Text.Json.JsonSerializerOptions options)
    {
        options.MaxDepth = InputLimits.JsonDepth;
        JsonOptions.Configure(options, [new EnumNamesConverterFactory()]);
    }

    /// <summary>The KEK and the erasure ledger: both required, so personal data is never kept without them.</summary>
    private static (KeyEncryptionKeys Keks, ErasureLedger Ledger) PersonalDataSettings(LogisticsOptions options) =>
        (options.KeyEncryptionKeys ?? throw new MissingPersonalDataSettingsException(
                "no key-encryption key for personal data: set LOGISTICS_PERSONAL_DATA_KEK to 32 random bytes in base64 (openssl rand -base64 32), " +
                "kept apart from the database's backups (see api/README.md)"),
            options.ErasureLedger is { Length: > 0 } path
                ? new ErasureLedger(path)
                : throw new MissingPersonalDataSettingsException(
                    "no erasure ledger: set LOGISTICS_ERASURE_LEDGER to a file on storage that restoring the database does not roll back (see api/README.md)"));

    /// <summary>
    /// The senders: given (tests, the demo's inbox), or SMTP and the SMS gateway from configuration. A host without
    /// both refuses to start unless notifications are explicitly off: recipients would never get their codes.
    /// </summary>
    private static void AddSenders(IServiceCollection services, LogisticsOptions options)
    {
        if (options.Senders is { } given)
        {
            foreach (var sender in given)
            {
                services.AddSingleton(sender);
            }

            return;
        }

        if ((options.Smtp is null || options.Sms is null) && !options.NoNotifications)
        {
            throw new MissingSendersException(
                $"no {(options.Smtp is null ? "SMTP relay" : "SMS gateway")} is configured: set LOGISTICS_SMTP_HOST and LOGISTICS_SMS_URL " +
                "(see api/README.md), or LOGISTICS_NO_NOTIFICATIONS=1 to run without sending pickup codes");
        }

        if (options.Smtp is { } smtp)
        {
            services.AddSingleton<INotificationSender>(new SmtpSender(smtp));
        }
        else
        {
            services.AddSingleton<INotificationSender>(sp => new DroppingSender(Channel.Email, sp.GetRequiredService<ILogger<DroppingSender>>()));
        }

        if (options.Sms is { } sms)
        {
            services.AddHttpClient("sms", c => c.Timeout = TimeSpan.FromSeconds(15));
            services.AddSingleton<INotificationSender>(sp => new HttpSmsSender(sp.GetRequiredService<IHttpClientFactory>().CreateClient("sms"), sms));
        }
        else
        {
            services.AddSingleton<INotificationSender>(sp => new DroppingSender(Channel.Sms, sp.GetRequiredService<ILogger<DroppingSender>>()));
        }
    }
}

/// <summary>The host was asked to run without a way to reach recipients.</summary>
public sealed class MissingSendersException(string message) : Exception(message);

/// <summary>The host was asked to keep personal data without a key-encryption key or an erasure ledger.</summary>
public sealed class MissingPersonalDataSettingsException(string message) : Exception(message);
