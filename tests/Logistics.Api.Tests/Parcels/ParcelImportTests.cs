using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Parcels;

/// <summary>Issue 16, part 2: a shop imports its parcels from a CSV file at the counter.</summary>
public sealed class ParcelImportTests : ApiTest
{
    private const string Header = "reference,name,phone,email,size,destination,locker,relay,street,postalCode,city,latitude,longitude,from,to";

    private string Window(int hour) =>
        Server.Clock.GetUtcNow().AddDays(1).UtcDateTime.Date.AddHours(hour).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private string File() => string.Join(
        "\n",
        Header,
        $"A-1,Ana Martin,+33 6 00 00 00 01,,S,locker,{Net.LockerId},,,,,,,,",
        $"A-2,Bruno Petit,,bruno@example.org,M,relay,,{Net.RelayShopId},,,,,,,",
        $"A-3,Chloé Roux,+33 6 00 00 00 03,,S,home,,,\"3, rue Nationale\",37400,Amboise,47.4170,0.9870,{Window(14)},{Window(16)}",
        $"A-4,Denis Faure,+33 6 00 00 00 04,,XL,locker,{Net.LockerId},,,,,,,,",
        "A-5,Eva Blanc,+33 6 00 00 00 05,,S,locker,no-such-locker,,,,,,,,",
        $"A-1,Ana Martin,+33 6 00 00 00 01,,S,locker,{Net.LockerId},,,,,,,,",
        "",
        $"A-6,Farid,+33 6 00 00 00 06,,S,home,,,,,,,,{Window(14)},{Window(16)}");

    [Fact]
    public async Task GoodLinesAreRegisteredAndEachBadLineSaysWhichAndWhy()
    {
        var answer = await TestCore.ReadAsync<JsonElement>(await ImportAsync(Net.Shop, File()));

        var imported = answer.GetProperty("imported").EnumerateArray().ToList();
        Assert.Equal([(2, "A-1"), (3, "A-2"), (4, "A-3")], imported.Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("reference").GetString()!)));
        var rejected = answer.GetProperty("rejected").EnumerateArray()
            .Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("reference").GetString(), r.GetProperty("code").GetString())).ToList();
        Assert.Equal(4, rejected.Count);
        Assert.Equal((5, "A-4", "validation"), rejected[0]);
        Assert.Equal(6, rejected[1].Item1);
        Assert.Equal((7, "A-1", "import.duplicate-reference"), rejected[2]);
        Assert.Equal((9, "A-6", "validation"), rejected[3]);
        Assert.Contains("size", answer.GetProperty("rejected")[0].GetProperty("errors").EnumerateObject().Select(p => p.Name));

        await Server.SettleAsync();
        var parcels = (await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync("/api/parcels"))).EnumerateArray().ToList();
        Assert.Equal(3, parcels.Count);
        var home = await TestCore.ReadAsync<JsonElement>(await Net.Customer.GetAsync($"/api/track/{imported[2].GetProperty("trackingId").GetString()}"));
        Assert.Equal("AwaitingPickup", home.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ImportingTheSameFileAgainRegistersNothingTwice()
    {
        var first = await TestCore.ReadAsync<JsonElement>(await ImportAsync(Net.Shop, File()));
        var events = await EventCountAsync();

        var again = await TestCore.ReadAsync<JsonElement>(await ImportAsync(Net.Shop, File()));

        Assert.Equal(Ids(first), Ids(again));
        Assert.Equal(events, await EventCountAsync());
        await Server.SettleAsync();
        Assert.Equal(3, (await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync("/api/parcels"))).GetArrayLength());

        // Another shop's reference A-1 is its own parcel.
        var other = await TestCore.ReadAsync<JsonElement>(await ImportAsync(Server.Client(Net.OtherShopKey), $"{Header}\nA-1,Ana Martin,+33 6 00 00 00 01,,S,locker,{Net.LockerId},,,,,,,,"));
        Assert.DoesNotContain(Ids(other).Single(), Ids(first));

        static List<string> Ids(JsonElement answer) => [.. answer.GetProperty("imported").EnumerateArray().Select(r => r.GetProperty("parcelId").GetString()!)];
    }

    [Fact]
    public async Task AFrenchSpreadsheetsSemicolonsAndDecimalCommasAreRead()
    {
        var csv = $"Reference;Name;Phone;Size;Destination;Street;PostalCode;City;Latitude;Longitude;From;To\r\n" +
            $"B-1;\"Roux; Chloé\";+33 6 00 00 00 03;s;Home;3 rue Nationale;37400;Amboise;47,4170;0,9870;{Window(14)};{Window(16)}\r\n";

        var answer = await TestCore.ReadAsync<JsonElement>(await ImportAsync(Net.Shop, csv));

        Assert.Equal("B-1", answer.GetProperty("imported").EnumerateArray().Single().GetProperty("reference").GetString());
    }

    [Fact]
    public async Task AFileThatIsNotAParcelListIsRefusedWithAProblemAndNothingRegistered()
    {
        var events = await EventCountAsync();

        var unknownColumn = await ImportAsync(Net.Shop, "reference,name,phone,size,destination,colour\nC-1,Ana,+33 6 00 00 00 01,S,locker,red");
        var missingColumn = await ImportAsync(Net.Shop, "reference,name\nC-1,Ana");
        var json = await Net.Shop.PostAsync("/api/parcels/import", new StringContent("{\"reference\":\"C-1\"}", Encoding.UTF8, "application/json"));
        var allBad = await ImportAsync(Net.Shop, $"{Header}\nC-1,Ana,+33 6 00 00 00 01,,XL,locker,{Net.LockerId},,,,,,,,");
        var tooMany = await ImportAsync(Net.Shop, Header + string.Concat(Enumerable.Range(0, 1001).Select(i => $"\nD-{i},Ana,+33 6 00 00 00 01,,S,locker,{Net.LockerId},,,,,,,,")));

        await AssertProblemAsync(unknownColumn, HttpStatusCode.UnprocessableEntity, "import.columns");
        await AssertProblemAsync(missingColumn, HttpStatusCode.UnprocessableEntity, "import.columns");
        await AssertProblemAsync(json, HttpStatusCode.BadRequest, "import.not-csv");
        var problem = await AssertProblemAsync(allBad, HttpStatusCode.UnprocessableEntity, "import.nothing-imported");
        Assert.Equal(2, problem.GetProperty("values").GetProperty("rejected")[0].GetProperty("line").GetInt32());
        await AssertProblemAsync(tooMany, HttpStatusCode.RequestEntityTooLarge, "import.too-many-rows");
        Assert.Equal(events, await EventCountAsync());
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient shop, string csv) =>
        shop.PostAsync("/api/parcels/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }

    private async Task<long> EventCountAsync() => (await Server.QueryAsync("select count(*) from es_events", r => r.GetInt64(0))).Single();
}
