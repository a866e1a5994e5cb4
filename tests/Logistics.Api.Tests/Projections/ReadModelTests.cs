using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Application.Projections;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Projections;

/// <summary>Read models follow the log: rebuilt from zero the same, forgetting an erased person.</summary>
public sealed class ReadModelTests : ApiTest
{
    [Fact]
    public async Task ErasingARecipientKeepsTheHistoryButForgetsThePersonEvenAfterARebuild()
    {
        var (parcel, tracking, _, _) = await Net.DepositedAsync();
        var before = await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync($"/api/parcels/{parcel}"));
        Assert.Equal("Camille Martin", before.GetProperty("parcel").GetProperty("recipientName").GetString());
        var person = await PersonOfAsync(parcel);

        await (await Server.Operator().PostJsonAsync($"/api/people/{person}/erase", null)).OkAsync();
        await Server.Services.GetRequiredService<ProjectionHost>().RebuildAsync();

        var after = await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync($"/api/parcels/{parcel}"));
        Assert.Equal("[erased]", after.GetProperty("parcel").GetProperty("recipientName").GetString());
        var timeline = after.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["ParcelRegistered", "ParcelPickedUp", "ParcelDeposited", "RecipientErased"], timeline);
        Assert.Equal(HttpStatusCode.OK, (await Net.Customer.GetAsync($"/api/track/{tracking}")).StatusCode);
    }

    [Fact]
    public async Task RebuildingTheReadModelsFromZeroGivesTheSameParcels()
    {
        await Net.DepositedAsync();
        await Net.RegisterForLockerAsync();
        await Server.SettleAsync();
        var before = await (await Server.Operator().GetAsync("/api/parcels")).Content.ReadAsStringAsync();

        await Server.Services.GetRequiredService<ProjectionHost>().RebuildAsync();

        Assert.Equal(before, await (await Server.Operator().GetAsync("/api/parcels")).Content.ReadAsStringAsync());
    }

    private async Task<string> PersonOfAsync(string parcel)
    {
        var rows = await Server.QueryAsync("select person_id from rm_parcels where parcel_id = $1", r => r.GetString(0), parcel);
        return rows.Single();
    }
}
