namespace Logistics.Api.Tests.Support;

/// <summary>Each test gets its own server, database and small network.</summary>
public abstract class ApiTest : IAsyncLifetime
{
    protected ApiServer Server { get; } = new();

    protected Network Net { get; private set; } = null!;

    protected virtual int SmallCompartments => 4;

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        Net = await Network.CreateAsync(Server, SmallCompartments);
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}
