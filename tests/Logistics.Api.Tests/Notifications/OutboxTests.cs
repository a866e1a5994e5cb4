using Logistics.Api.Tests.Support;
using Logistics.Application.Notifications;
using Logistics.Testing;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task ASlowGatewayHoldsNoTransactionOpenWhileItSends()
    {
        var entered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        Server.Sms.AfterSend = async _ =>
        {
            entered.TrySetResult();
            await release.Task;
        };
        var deposit = await DepositWithoutSendingAsync();

        var dispatching = Server.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync();
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        var open = (await Server.QueryAsync(
            "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and xact_start < now() - interval '300 milliseconds'",
            r => r.GetInt64(0))).Single();
        release.SetResult();
        await dispatching;

        Assert.Equal(0, open);
        Assert.Single(Server.Sms.Sent, m => m.Text.Contains(deposit.Tracking, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACrashRightAfterSendingResendsOnlyTheMessageInFlightOnceItsLeaseEnds()
    {
        var deposits = new[] { await DepositWithoutSendingAsync(), await DepositWithoutSendingAsync(), await DepositWithoutSendingAsync() };
        using var crash = new CancellationTokenSource();
        Server.Sms.AfterSend = _ =>
        {
            // The process dies after the gateway took the message, before the outbox could mark it.
            Server.Sms.AfterSend = null;
            crash.Cancel();
            crash.Token.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        };
        var dispatcher = Server.Services.GetRequiredService<OutboxDispatcher>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dispatcher.DispatchDueAsync(crash.Token));
        var sentBeforeTheLeaseEnds = await dispatcher.DispatchDueAsync();
        Server.Clock.Advance(OutboxDispatcher.Lease + TimeSpan.FromSeconds(1));
        await dispatcher.DispatchDueAsync();

        Assert.Equal(0, sentBeforeTheLeaseEnds);
        var perParcel = deposits.Select(d => Server.Sms.Sent.Count(m => m.Text.Contains(d.Tracking, StringComparison.Ordinal))).Order().ToList();
        Assert.Equal([1, 1, 2], perParcel);
        Assert.All(deposits, d => Assert.Single(Server.Email.Sent, m => m.Text.Contains(d.Tracking, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AFailureIsRecordedWithoutTheGatewaysTextWhichMayQuoteTheAddress()
    {
        Server.Sms.FailuresToInject = 1;
        Server.Sms.FailureMessage = $"recipient {TestNetwork.Phone} refused";
        await DepositWithoutSendingAsync();

        await Server.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync();

        var errors = (await Server.QueryAsync("select string_agg(last_error, ' | ') from notification_outbox where last_error is not null", r => r.GetString(0))).Single();
        Assert.Equal("the gateway could not be reached", errors);
    }

    /// <summary>
    /// Issue 11, class 10: an SMS gateway that stops answering holds neither the outbox nor the other channel: the
    /// send times out, is recorded as such, the e-mail goes out, and the SMS follows once the gateway is back.
    /// </summary>
    [Fact]
    public async Task AGatewayThatStopsAnsweringTimesOutAndItsMessageGoesOutOnceItIsBack()
    {
        Server.Sms.Hangs = true;
        var deposit = await DepositWithoutSendingAsync();
        var dispatcher = Server.Services.GetRequiredService<OutboxDispatcher>();

        var dispatching = dispatcher.DispatchDueAsync();
        await Wait.UntilAsync(() => Server.Sms.Hanging > 0, "the send to reach the silent gateway");
        Assert.Equal(1, Server.Sms.Hanging);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Net.Shop.GetAsync("/api/parcels")).StatusCode);
        for (var i = 0; i < 600 && !dispatching.IsCompleted; i++)
        {
            // Until the send's timer is set and fires (it is set just after the gateway was called).
            Server.Clock.Advance(OutboxDispatcher.SendTimeout);
            await Task.WhenAny(dispatching, Task.Delay(50));
        }

        await dispatching;

        Assert.Empty(Server.Sms.Sent);
        Assert.Single(Server.Email.Sent, m => m.Text.Contains(deposit.Tracking, StringComparison.Ordinal));
        var errors = (await Server.QueryAsync("select string_agg(last_error, ' | ') from notification_outbox where last_error is not null", r => r.GetString(0))).Single();
        Assert.Equal("timed out", errors);

        Server.Sms.Hangs = false;
        Server.Clock.Advance(OutboxDispatcher.Backoff(1) + TimeSpan.FromSeconds(1));
        await dispatcher.DispatchDueAsync();
        Assert.Single(Server.Sms.Sent, m => m.Text.Contains(deposit.Tracking, StringComparison.Ordinal));
    }

    /// <summary>Registered, picked up and deposited; its messages queued, not yet sent.</summary>
    private async Task<(string Parcel, string Tracking)> DepositWithoutSendingAsync()
    {
        var (id, tracking) = await Net.RegisterForLockerAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{id}/pickup", null)).OkAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{id}/deposit", null)).OkAsync();
        await Server.Services.GetRequiredService<Logistics.Application.ProcessManagers.ProcessManagerHost>().CatchUpAsync();
        return (id, tracking);
    }
}
