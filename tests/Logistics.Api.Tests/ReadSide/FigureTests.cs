using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.ReadSide;

public sealed class FigureTests : ApiTest
{
    [Fact]
    public async Task TheOperatorSeesParcelsADayAndTheShareCollectedWithin24Hours()
    {
        await using var board = await Net.BoardAsync();
        var (_, quick, _, quickCode) = await Net.DepositedAsync();
        var (_, slow, _, slowCode) = await Net.DepositedAsync();

        Server.Clock.Advance(TimeSpan.FromHours(2));
        await Net.CollectAsync(quick, quickCode);
        Server.Clock.Advance(TimeSpan.FromHours(28));
        await Net.CollectAsync(slow, slowCode);
        await Server.SettleAsync();

        var figures = await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync("/api/figures"));
        var days = figures.GetProperty("perDay").EnumerateArray().ToList();
        Assert.Equal(14, days.Count);
        Assert.Equal(2, days.Sum(d => d.GetProperty("registered").GetInt32()));
        Assert.Equal(2, days.Sum(d => d.GetProperty("madeAvailable").GetInt32()));
        Assert.Equal(1, days.Sum(d => d.GetProperty("collectedWithin24h").GetInt32()));
        Assert.Equal(0.5, figures.GetProperty("collectedWithin24hShare").GetDouble(), 3);
    }

    [Fact]
    public async Task FiguresAreForTheOperatorOnly()
    {
        var response = await Net.Shop.GetAsync("/api/figures");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
