using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Pages;

/// <summary>
/// Issue 12, part 2: a live page works on any node. A page's feed open on node B hears of a parcel registered through
/// node A (whose background work updates the read model): B's feed follows the read models' checkpoints in the
/// database, not only its own appends.
/// </summary>
public sealed class LiveFeedAcrossNodesTests : IAsyncLifetime
{
    private TestCore _nodeA = null!;
    private TestCore _nodeB = null!;

    public async Task InitializeAsync()
    {
        _nodeA = await TestCore.StartAsync(realClock: true, backgroundWork: true);
        _nodeB = await TestCore.StartAsync(realClock: true, connectionString: _nodeA.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _nodeB.DisposeAsync();
        await _nodeA.DisposeAsync();
    }

    [Fact]
    public async Task AFeedOnOneNodeHearsOfAChangeMadeThroughTheOther()
    {
        var net = await TestNetwork.CreateAsync(_nodeA);
        using var client = _nodeB.Client();
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/live"), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line && line != "event: hello")
        {
        }

        await net.RegisterForLockerAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? changed = null;
        while (changed is null && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == "event: changed")
            {
                changed = await reader.ReadLineAsync(timeout.Token);
            }
        }

        Assert.NotNull(changed);
        Assert.Contains("parcels", changed, StringComparison.Ordinal);
    }
}
