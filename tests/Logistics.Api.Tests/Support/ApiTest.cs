using Logistics.Api.Hosting;
using Logistics.Application.Scheduling;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Support;

/// <summary>Each test gets its own core (manual clock, background work driven by the test), database and small network.</summary>
public abstract class ApiTest : IAsyncLifetime
{
    protected TestCore Server { get; private set; } = null!;

    protected TestNetwork Net { get; private set; } = null!;

    protected virtual int SmallCompartments => 4;

    /// <summary>The host's options for this class's tests (planning rules, policy…): the defaults unless overridden.</summary>
    protected virtual LogisticsOptions Configure(LogisticsOptions options) => options;

    public async Task InitializeAsync()
    {
        Server = await TestCore.StartAsync(configure: Configure);
        Net = await TestNetwork.CreateAsync(Server, SmallCompartments);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The time-driven work due at the test clock's time (reminders, expiry): how many parcels it acted on.</summary>
    protected Task<int> RunSchedulerAsync() => Server.Services.GetRequiredService<ParcelScheduler>().RunDueAsync();
}
