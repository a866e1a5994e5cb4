using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Notifications;

/// <summary>Messages to recipients: queued with their events, sent at least once.</summary>
public sealed class OutboxTests : ApiTest
{
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
}
