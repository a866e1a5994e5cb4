using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Api.Tests.Support;
using Logistics.Application.Notifications;
using Logistics.Testing;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Hosting;

/// <summary>No log line carries a pickup code, a phone number, an e-mail address or a name; a host never runs silently without senders.</summary>
public sealed class LogTests : ApiTest
{
    private readonly CapturingLogs _logs = new();

    protected override LogisticsOptions Configure(LogisticsOptions options) => options with { Logging = _logs.AddTo };

    [Fact]
    public async Task AWholeJourneyLogsNoCodePhoneEmailOrName()
    {
        await using var board = await Net.BoardAsync();
        // The gateway refuses the first message and says why, quoting the number, as real gateways do.
        Server.Sms.FailuresToInject = 1;
        Server.Sms.FailureMessage = $"number {TestNetwork.Phone} unreachable";
        var (parcel, tracking) = await Net.RegisterForLockerAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null)).OkAsync();
        await Server.SettleAsync();
        Server.Clock.Advance(TimeSpan.FromMinutes(1));
        await Server.SettleAsync();
        var code = Server.Sms.CodeFor(tracking, TestNetwork.Phone);
        Assert.Equal(422, (int)(await Net.Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code = "000000000000" })).StatusCode);
        await Net.CollectAsync(tracking, code);

        // A home delivery that fails with a reason naming the recipient, and a cancellation that does too.
        var home = await TestCore.ReadAsync<JsonElement>(await Net.Shop.PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Jeanne Petit", phone = "+33 7 98 76 54 32", email = "jeanne.petit@example.org", address = new { street = "12 rue de la Concorde", postalCode = "37400", city = "Amboise", latitude = 47.41, longitude = 0.98 } },
            size = "S",
            destination = new { kind = "home", from = Server.Clock.GetUtcNow().AddHours(1), to = Server.Clock.GetUtcNow().AddHours(3) },
        }));
        var homeParcel = home.GetProperty("parcelId").GetString();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{homeParcel}/pickup", null)).OkAsync();
        await Net.Courier.PostJsonAsync($"/api/parcels/{homeParcel}/fail-delivery", new { reason = "Jeanne Petit absente" });
        var (cancelled, _) = await Net.RegisterForLockerAsync();
        await Net.Shop.PostJsonAsync($"/api/parcels/{cancelled}/cancel", new { reason = "Camille Martin a appelé" });
        await Server.SettleAsync();
        await (await Server.Operator().PostJsonAsync("/api/planning/run", null)).OkAsync();
        await Server.SettleAsync();

        var log = string.Join('\n', _logs.Lines);
        Assert.True(_logs.Lines.Count >= 10, log);
        string[] secrets = [code, code[..8], "Camille Martin", "Camille", "Jeanne", "Petit", "camille@example.org", "jeanne.petit@example.org",
            TestNetwork.Phone, "+33611223344", "0611223344", "6 11 22 33 44", "+33 7 98 76 54 32", "+33798765432", "12 rue de la Concorde"];
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, log, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AHostWithoutSendersRefusesToStartUnlessNotificationsAreExplicitlyOff()
    {
        var database = await PostgresServer.CreateDatabaseAsync("nosenders");
        var options = new LogisticsOptions
        {
            ConnectionString = database,
            Urls = $"http://127.0.0.1:{Loopback.FreePort()}",
            BackgroundWork = false,
            KeyEncryptionKeys = TestKeks.Shared,
            ErasureLedger = TestCore.ErasureLedgerOf(database),
        };

        var refused = await Assert.ThrowsAsync<MissingSendersException>(() => LogisticsApp.BuildAsync(options));
        var smsOnly = await Assert.ThrowsAsync<MissingSendersException>(() => LogisticsApp.BuildAsync(options with { Sms = new SmsGatewaySettings(new Uri("http://127.0.0.1:9/sms"), null) }));
        await using var quiet = await LogisticsApp.BuildAsync(options with { NoNotifications = true });

        Assert.Contains("LOGISTICS_NO_NOTIFICATIONS", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SMTP", smsOnly.Message, StringComparison.Ordinal);
        Assert.Equal([Channel.Sms, Channel.Email], quiet.Services.GetServices<INotificationSender>().Select(s => s.Channel).Order());
    }
}
