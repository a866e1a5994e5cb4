using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Domain.Parcels;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Parcels;

/// <summary>
/// One code for all of a recipient's parcels at a locker, whichever shops sent them: a parcel deposited for a phone
/// that already has parcels waiting there gets a new code that replaces theirs and opens each of them.
/// </summary>
public sealed class SharedCodeTests : ApiTest
{
    private const string Phone = "+33 6 55 44 33 22";
    private const string OtherPhone = "+33 7 12 12 98 76";

    protected override int SmallCompartments => 6;

    [Fact]
    public async Task TwoParcelsFromTwoShopsForOnePhoneShareOneCodeThatOpensBothAndEachRecordsItsCollection()
    {
        await using var board = await Net.BoardAsync();
        var bakery = await Net.DepositedAsync(phone: Phone);
        var bookshop = await Net.DepositedAsync(phone: Phone, shop: Server.Client(Net.OtherShopKey));
        var someoneElse = await Net.DepositedAsync(phone: OtherPhone);

        // The second deposit's message lists both parcels, by shop and tracking number, under one new code.
        var message = Server.Sms.Sent.Last(m => m.To == Phone).Text;
        Assert.Contains(bakery.TrackingId, message, StringComparison.Ordinal);
        Assert.Contains(bookshop.TrackingId, message, StringComparison.Ordinal);
        Assert.Contains("Boulangerie", message, StringComparison.Ordinal);
        Assert.Contains("Librairie", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Camille", message, StringComparison.Ordinal);
        var shared = bookshop.Code;
        Assert.Equal(shared, Server.Sms.CodeFor(bakery.TrackingId, Phone));
        Assert.NotEqual(bakery.Code, shared);
        Assert.NotEqual(shared, someoneElse.Code);

        // Both tracking pages say the code opens two doors; the other recipient's parcel has a code of its own.
        Assert.Equal(2, (await Net.TrackAsync(bakery.TrackingId)).GetProperty("codeOpens").GetInt32());
        Assert.Equal(2, (await Net.TrackAsync(bookshop.TrackingId)).GetProperty("codeOpens").GetInt32());
        Assert.Equal(JsonValueKind.Null, (await Net.TrackAsync(someoneElse.TrackingId)).GetProperty("codeOpens").ValueKind);

        // The first code was replaced: it opens nothing any more; nor does the shared one open another's parcel.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Net.Customer.PostJsonAsync($"/api/track/{bakery.TrackingId}/collect", new { code = bakery.Code })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Net.Customer.PostJsonAsync($"/api/track/{someoneElse.TrackingId}/collect", new { code = shared })).StatusCode);

        var answer = await Net.CollectAsync(bakery.TrackingId, shared);
        Assert.Equal([bakery.Compartment, bookshop.Compartment], answer.GetProperty("compartments").EnumerateArray().Select(c => c.GetInt32()).Order());
        await Net.StatusAsync(bookshop.TrackingId, "Collected");

        foreach (var deposit in new[] { bakery, bookshop })
        {
            var collected = Assert.Single((await Server.ParcelEventsAsync(deposit.ParcelId)).OfType<ParcelCollected>());
            Assert.Equal(deposit.Compartment, collected.Compartment);
            Assert.Equal("free", (await Net.LockerAsync()).GetProperty("compartments").EnumerateArray()
                .Single(c => c.GetProperty("number").GetInt32() == deposit.Compartment).GetProperty("status").GetString());
        }

        // Used up: the code opens nothing again; the other recipient's parcel still waits for its own code.
        Assert.Equal(HttpStatusCode.Conflict, (await Net.Customer.PostJsonAsync($"/api/track/{bookshop.TrackingId}/collect", new { code = shared })).StatusCode);
        Assert.Equal("AwaitingCollection", (await Net.TrackAsync(someoneElse.TrackingId)).GetProperty("status").GetString());
        await Net.CollectAsync(someoneElse.TrackingId, someoneElse.Code);
    }

    [Fact]
    public async Task WrongCodesCountPerParcelAsBeforeAndABlockedParcelLeavesTheShare()
    {
        await using var board = await Net.BoardAsync();
        var first = await Net.DepositedAsync(phone: Phone);
        var second = await Net.DepositedAsync(phone: Phone, shop: Server.Client(Net.OtherShopKey));

        var lefts = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var wrong = await Net.Customer.PostJsonAsync($"/api/track/{first.TrackingId}/collect", new { code = "000000003344" });
            lefts.Add((await wrong.JsonAsync()).GetProperty("values").GetProperty("left").GetInt32());
        }

        var fifth = await Net.Customer.PostJsonAsync($"/api/track/{first.TrackingId}/collect", new { code = "000000003344" });
        await Server.SettleAsync();

        Assert.Equal([4, 3, 2, 1], lefts);
        Assert.Equal("pickup-code.blocked", (await fifth.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await Net.Customer.PostJsonAsync($"/api/track/{first.TrackingId}/collect", new { code = second.Code })).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await Net.TrackAsync(second.TrackingId)).GetProperty("codeOpens").ValueKind);

        // The shared code still opens the parcel that was not attacked, and only that one.
        var answer = await Net.CollectAsync(second.TrackingId, second.Code);
        Assert.Equal([second.Compartment], answer.GetProperty("compartments").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal("AwaitingCollection", (await Net.TrackAsync(first.TrackingId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ASharedCodeIsRefusedOnceItsParcelsAreGoingBack()
    {
        await using var board = await Net.BoardAsync();
        var first = await Net.DepositedAsync(phone: Phone);
        var second = await Net.DepositedAsync(phone: Phone, shop: Server.Client(Net.OtherShopKey));

        Server.Clock.Advance(TimeSpan.FromDays(30));
        await RunSchedulerAsync();
        await Server.SettleAsync();

        foreach (var deposit in new[] { first, second })
        {
            var refused = await Net.Customer.PostJsonAsync($"/api/track/{deposit.TrackingId}/collect", new { code = second.Code });
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("Expired", (await Net.TrackAsync(deposit.TrackingId)).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task ErasingTheRecipientForgetsWhatMatchedTheirParcels()
    {
        var first = await Net.DepositedAsync(phone: Phone);
        var second = await Net.DepositedAsync(phone: Phone);
        Assert.Equal(2, await SharesOfAsync(first.ParcelId, second.ParcelId));

        await (await Server.Operator().PostJsonAsync($"/api/parcels/{first.ParcelId}/erase-recipient", null)).OkAsync();

        // Each registration names its own person: the other parcel's recipient is not erased, and keeps its match.
        Assert.Equal(0, await SharesOfAsync(first.ParcelId));
        Assert.Equal(1, await SharesOfAsync(second.ParcelId));
    }

    private async Task<long> SharesOfAsync(params string[] parcels) =>
        (await Server.QueryAsync("select count(*) from pickup_code_shares where parcel_id = any($1)", r => r.GetInt64(0), [parcels])).Single();
}
