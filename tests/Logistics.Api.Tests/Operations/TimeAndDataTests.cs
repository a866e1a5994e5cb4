using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Application.Projections;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Operations;

public sealed class TimeAndDataTests : ApiTest
{
    [Fact]
    public async Task AnUncollectedParcelIsRemindedThenExpiresAndGoesBackToItsShop()
    {
        var (parcel, tracking, _, _) = await Net.DepositedAsync();
        Assert.Equal(0, await RunSchedulerAsync());

        Server.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await RunSchedulerAsync());
        await Server.SettleAsync();
        Assert.Equal(0, await RunSchedulerAsync());
        Assert.Contains(Server.Sms.Sent, m => m.Text.StartsWith("Rappel", StringComparison.Ordinal) && m.Text.Contains(tracking, StringComparison.Ordinal));

        Server.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await RunSchedulerAsync());
        await Server.SettleAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/return", null)).OkAsync();
        await Server.SettleAsync();

        var view = await TestCore.ReadAsync<JsonElement>(await Net.Customer.GetAsync($"/api/track/{tracking}"));
        Assert.Equal("Returned", view.GetProperty("status").GetString());
        var kinds = view.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(new[] { "ReminderSent", "ParcelExpired", "ParcelPickedUp", "ParcelReturned" }, kinds.Skip(3));
    }

    [Fact]
    public async Task TheCustomerCanAskForMoreTimeOnce()
    {
        var (_, tracking, _, _) = await Net.DepositedAsync();

        var extended = await TestCore.ReadAsync<JsonElement>(await Net.Customer.PostJsonAsync($"/api/track/{tracking}/extend", null));
        Server.Clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
        await RunSchedulerAsync();
        await Server.SettleAsync();

        Assert.Equal(Server.Clock.GetUtcNow().AddDays(2).AddMinutes(-1).Date, extended.GetProperty("collectBy").GetDateTimeOffset().Date);
        Assert.Equal("AwaitingCollection", (await TestCore.ReadAsync<JsonElement>(await Net.Customer.GetAsync($"/api/track/{tracking}"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AMessageThatFailsToSendIsRetriedLaterAndNeverLost()
    {
        Server.Sms.FailuresToInject = 2;
        var (id, tracking) = await Net.RegisterForLockerAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{id}/pickup", null)).OkAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{id}/deposit", null)).OkAsync();

        await Server.SettleAsync();
        Assert.Empty(Server.Sms.Sent);
        Server.Clock.Advance(TimeSpan.FromSeconds(6));
        await Server.SettleAsync();
        Assert.Empty(Server.Sms.Sent);
        Server.Clock.Advance(TimeSpan.FromSeconds(16));
        await Server.SettleAsync();
        Server.Clock.Advance(TimeSpan.FromMinutes(5));
        await Server.SettleAsync();

        Assert.Single(Server.Sms.Sent, m => m.Text.Contains(tracking, StringComparison.Ordinal));
    }

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
        Assert.Equal(3, after.GetProperty("timeline").GetArrayLength());
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

    [Fact]
    public async Task HealthOpenApiAndTheBrowsableApiAnswer()
    {
        var client = Server.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var openApi = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/parcels", openApi, StringComparison.Ordinal);
        Assert.Contains("/api/track/{trackingId}/collect", openApi, StringComparison.Ordinal);
        Assert.Contains("swagger", await client.GetStringAsync("/docs/index.html"), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> PersonOfAsync(string parcel)
    {
        var reads = Server.Services.GetRequiredService<ReadModels>();
        var rows = await reads.QueryAsync("select person_id from rm_parcels where parcel_id = $1", r => r.GetString(0), CancellationToken.None, parcel);
        return rows.Single();
    }
}
