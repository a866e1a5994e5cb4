using System.Net;
using System.Text.Json;
using Logistics.Application.Lockers;
using Logistics.LockerLink;
using Logistics.Testing.Core;
using Payload = Logistics.LockerLink.DevicePayload;

namespace Logistics.Api.Tests.Lockers;

/// <summary>
/// Issue 11, class 4: what the core decides about a pickup code (deposit, block, reissue, extension, collection,
/// expiry) reaches the board, and revocations outlive a board offline for a week.
/// </summary>
public sealed class BoardCodesTests : BoardTest
{
    [Fact]
    public async Task EveryDecisionAboutAWaitingParcelsCodeIsQueuedForTheBoardInOrder()
    {
        await RegisterKeyAsync(DeviceKey);
        var deposited = await Net.DepositedAsync();
        var blocked = await Net.DepositedAsync();
        await WrongCodesAsync(blocked.TrackingId, 5);
        var reissued = await Net.DepositedAsync();
        await WrongCodesAsync(reissued.TrackingId, 5);
        await (await Server.Operator().PostJsonAsync($"/api/parcels/{reissued.ParcelId}/reissue-code", null)).OkAsync();
        var extended = await Net.DepositedAsync();
        var collectBy = (await TestCore.ReadAsync<JsonElement>(await Net.Customer.PostJsonAsync($"/api/track/{extended.TrackingId}/extend", null))).GetProperty("collectBy").GetDateTimeOffset();
        await Server.SettleAsync();
        var freshCode = Server.Sms.CodeFor(reissued.TrackingId, TestNetwork.Phone);

        // The board was offline through all of it: it gets everything, in the order decided, when it connects.
        await using var board = await BoardAsync(register: false);
        await board.WaitForAsync(_ => Provisions(board, extended.ParcelId).Count() == 2 && Provisions(board, reissued.ParcelId).Count() == 2);
        var key = ((CommandBody.SetCodeKey)board.Commands.Last(c => c.Command.Body is CommandBody.SetCodeKey).Command.Body).Key;

        // Deposit: the code's verifier, valid until the code expires.
        var first = Assert.Single(Provisions(board, deposited.ParcelId));
        Assert.Equal(PickupCodeHash.Compute(key, deposited.Code), first.Code.CodeHash);
        Assert.Equal(first.Code.ExpiresAt, first.Signed.Command.ExpiresAt, TimeSpan.FromMilliseconds(1));

        // Blocked after five wrong codes: revoked on the board too (the keypad no longer takes it).
        var revoked = Assert.Single(Revocations(board, blocked.ParcelId));
        Assert.True(Provisions(board, blocked.ParcelId).Single().Signed.Command.Seq < revoked.Command.Seq);

        // Blocked, then reissued: revoked, then the new code's verifier.
        var revokedThenNew = Revocations(board, reissued.ParcelId).Single();
        var reissuedCode = Provisions(board, reissued.ParcelId).Last();
        Assert.True(revokedThenNew.Command.Seq < reissuedCode.Signed.Command.Seq);
        Assert.Equal(PickupCodeHash.Compute(key, freshCode), reissuedCode.Code.CodeHash);

        // Extended: the same code again, valid until the new deadline.
        var (before, after) = (Provisions(board, extended.ParcelId).First(), Provisions(board, extended.ParcelId).Last());
        Assert.Equal(before.Code.CodeHash, after.Code.CodeHash);
        Assert.Equal(collectBy, after.Code.ExpiresAt, TimeSpan.FromMilliseconds(1));
        Assert.True(after.Code.ExpiresAt > before.Code.ExpiresAt);
        Assert.True(after.Signed.Command.ExpiresAt >= collectBy - TimeSpan.FromMilliseconds(1));
        Assert.Empty(Revocations(board, deposited.ParcelId).Concat(Revocations(board, extended.ParcelId)));
    }

    [Fact]
    public async Task RevocationsOfCollectedBlockedAndExpiredCodesReachABoardOfflineForAWeek()
    {
        await using (var online = await BoardAsync())
        {
            // Provisioned while online; the board then loses the link for good.
            var collected = await Net.DepositedAsync();
            await online.WaitForAsync(_ => Provisions(online, collected.ParcelId).Any());
            await online.SendEventAsync(online.Event(1, new Payload.CodeAccepted(collected.ParcelId, collected.Compartment, Server.Clock.GetUtcNow()), Server.Clock.GetUtcNow()));
            await online.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: 1 });
            Parcels.Add(collected);
        }

        var blocked = await Net.DepositedAsync();
        await WrongCodesAsync(blocked.TrackingId, 5);
        var expiring = await Net.DepositedAsync();
        await Server.SettleAsync();
        Server.Clock.Advance(TimeSpan.FromDays(6));
        await RunSchedulerAsync();
        await Server.SettleAsync();
        Assert.Equal("Expired", (await Net.TrackAsync(expiring.TrackingId)).GetProperty("status").GetString());

        // A week more without the board.
        Server.Clock.Advance(TimeSpan.FromDays(8));
        await using var back = await BoardAsync(register: false);
        var parcels = new[] { Parcels[0].ParcelId, blocked.ParcelId, expiring.ParcelId };
        await back.WaitForAsync(_ => parcels.All(p => Revocations(back, p).Any()));

        // And no revocation may expire while the code it revokes could still open the door (plus a week's margin).
        var queued = await Server.QueryAsync(
            "select body::text, expires_at from locker_commands where locker_id = $1 and body::text like '%revokeCode%'", r => (r.GetString(0), r.GetFieldValue<DateTimeOffset>(1)), Net.LockerId);
        Assert.NotEmpty(queued);
        Assert.All(queued, q => Assert.True(q.Item2 >= Server.Clock.GetUtcNow() + TimeSpan.FromDays(7), $"{q.Item1} expires at {q.Item2:O}"));
        Assert.True(LockerFollowUp.RevocationLifetime >= TimeSpan.FromDays(14));
    }

    private List<Deposit> Parcels { get; } = [];

    private async Task WrongCodesAsync(string tracking, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var wrong = await Net.Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code = "000000000000" });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        }
    }

    private static IEnumerable<(SignedCommand Signed, CodeVerifier Code)> Provisions(TestBoard board, string parcel) =>
        board.Commands.Where(c => c.Command.Body is CommandBody.ProvisionCodes)
            .SelectMany(c => ((CommandBody.ProvisionCodes)c.Command.Body).Codes.Where(v => v.ParcelId == parcel).Select(v => (c, v)))
            .OrderBy(x => x.c.Command.Seq);

    private static IEnumerable<SignedCommand> Revocations(TestBoard board, string parcel) =>
        board.Commands.Where(c => c.Command.Body is CommandBody.RevokeCode r && r.ParcelId == parcel).OrderBy(c => c.Command.Seq);
}
