using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Domain.Parcels;
using Logistics.Testing;
using Logistics.Testing.Core;
using Npgsql;

namespace Logistics.Api.Tests.Privacy;

/// <summary>
/// Issue 11, class 14: the operator erases a recipient by one of their parcels (every parcel of that person shows
/// erased, their free text too; only the operator may; an unknown parcel is a 404 problem), and an erasure survives
/// restoring a database backup taken before it, through the erasure ledger kept outside the database.
/// </summary>
public sealed class RecipientErasureTests : ApiTest
{
    private const string Name = "Camille Martin";
    private const string Reason = "Mme Martin a appelé : absente jusqu'à lundi";

    [Fact]
    public async Task ErasingByParcelErasesThePersonAndTheirFreeTextEverywhere()
    {
        var (parcel, _) = await Net.RegisterForLockerAsync();
        await (await Net.Shop.PostJsonAsync($"/api/parcels/{parcel}/cancel", new { reason = Reason })).OkAsync();
        await Server.SettleAsync();
        Assert.Contains(Reason, await DetailAsync(parcel), StringComparison.Ordinal);
        Assert.DoesNotContain(Reason, await EventsJsonAsync(Server), StringComparison.Ordinal);

        var erased = await TestCore.ReadAsync<JsonElement>(await Server.Operator().PostJsonAsync($"/api/parcels/{parcel}/erase-recipient", null));
        await Server.SettleAsync();

        Assert.Equal(1, erased.GetProperty("parcels").GetInt32());
        var detail = await DetailAsync(parcel);
        Assert.DoesNotContain(Reason, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Name, detail, StringComparison.Ordinal);
        Assert.Contains("[erased]", detail, StringComparison.Ordinal);
        var events = await Server.ParcelEventsAsync(parcel);
        Assert.Equal("[erased]", events.OfType<ParcelRegistered>().Single().Recipient.Name);
        Assert.Equal("[erased]", events.OfType<ParcelCancelled>().Single().Reason.Text);
        Assert.Equal([null], await KeysOfAsync(Server, parcel));
        Assert.Single(await File.ReadAllLinesAsync(TestCore.ErasureLedgerOf(Server.ConnectionString)), events.OfType<RecipientErased>().Single().Person.Value);
    }

    [Fact]
    public async Task OnlyTheOperatorErasesByParcelAndAnUnknownParcelIsA404Problem()
    {
        var (parcel, _) = await Net.RegisterForLockerAsync();
        var callers = new (string Who, HttpClient Client, HttpStatusCode Expected)[]
        {
            ("anonymous", Server.Client(), HttpStatusCode.Unauthorized),
            ("shop A", Net.Shop, HttpStatusCode.Forbidden),
            ("shop B", Server.Client(Net.OtherShopKey), HttpStatusCode.Forbidden),
            ("courier", Net.Courier, HttpStatusCode.Forbidden),
            ("other courier", Server.Client(Net.OtherCourierKey), HttpStatusCode.Forbidden),
        };
        foreach (var (who, client, expected) in callers)
        {
            var response = await client.PostJsonAsync($"/api/parcels/{parcel}/erase-recipient", null);
            Assert.True(expected == response.StatusCode, $"{who}: {(int)response.StatusCode}");
        }

        var unknown = await Server.Operator().PostJsonAsync("/api/parcels/nothing-here/erase-recipient", null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Name, (await Server.ParcelEventsAsync(parcel)).OfType<ParcelRegistered>().Single().Recipient.Name);
        Assert.False(File.Exists(TestCore.ErasureLedgerOf(Server.ConnectionString)));
    }

    [Fact]
    public async Task AnErasureSurvivesRestoringABackupTakenBeforeIt()
    {
        var (parcel, _) = await Net.RegisterForLockerAsync();
        await Server.SettleAsync();
        using var folder = new TempDirectory();
        var backup = Path.Combine(folder.Path, "before-erasure.dump");
        await PgAsync("pg_dump", "--format=custom", $"--file={backup}", ConnInfo(Server.ConnectionString));

        await (await Server.Operator().PostJsonAsync($"/api/parcels/{parcel}/erase-recipient", null)).OkAsync();
        var ledger = TestCore.ErasureLedgerOf(Server.ConnectionString);

        // Without the ledger the restored database shows the person again: that is what the ledger prevents.
        var control = await RestoreAsync(backup);
        await using (var forgetful = await TestCore.StartAsync(connectionString: control, configure: o => o with { ErasureLedger = Path.Combine(folder.Path, "empty.ledger") }))
        {
            Assert.Equal(Name, (await forgetful.ParcelEventsAsync(parcel)).OfType<ParcelRegistered>().Single().Recipient.Name);
        }

        var restored = await RestoreAsync(backup);
        await using var core = await TestCore.StartAsync(connectionString: restored, configure: o => o with { ErasureLedger = ledger });
        await core.SettleAsync();

        Assert.Equal([null], await KeysOfAsync(core, parcel));
        Assert.Equal("[erased]", (await core.ParcelEventsAsync(parcel)).OfType<ParcelRegistered>().Single().Recipient.Name);
        var detail = await (await core.Operator().GetAsync($"/api/parcels/{parcel}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Name, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(TestNetwork.Phone, detail, StringComparison.Ordinal);
        Assert.Contains("[erased]", detail, StringComparison.Ordinal);

        // A second start finds nothing left to erase again, so it records nothing more.
        var erasures = (await core.ParcelEventsAsync(parcel)).OfType<RecipientErased>().Count();
        await using (var again = await TestCore.StartAsync(connectionString: restored, configure: o => o with { ErasureLedger = ledger }))
        {
            Assert.Equal(erasures, (await again.ParcelEventsAsync(parcel)).OfType<RecipientErased>().Count());
        }
    }

    private async Task<string> DetailAsync(string parcel) => await (await Server.Operator().GetAsync($"/api/parcels/{parcel}")).Content.ReadAsStringAsync();

    private static async Task<string> EventsJsonAsync(TestCore core) => string.Join('\n', await core.QueryAsync("select data::text from es_events", r => r.GetString(0)));

    private static async Task<IReadOnlyList<byte[]?>> KeysOfAsync(TestCore core, string parcel) =>
        await core.QueryAsync(
            """
            select key from es_personal_keys
            where person_id = (select data -> 'recipient' ->> 'person' from es_events where stream_id = 'parcel-' || $1 order by version limit 1)
            """,
            r => r.IsDBNull(0) ? null : r.GetFieldValue<byte[]>(0),
            parcel);

    private static async Task<string> RestoreAsync(string backup)
    {
        var database = await PostgresServer.CreateDatabaseAsync("restored");
        await PgAsync("pg_restore", "--no-owner", "--exit-on-error", $"--dbname={ConnInfo(database)}", backup);
        return database;
    }

    /// <summary>A libpq connection string for the PostgreSQL tools.</summary>
    private static string ConnInfo(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"host={b.Host} port={b.Port} user={b.Username} dbname={b.Database}" + (b.Password is { Length: > 0 } p ? $" password={p}" : "");
    }

    private static async Task PgAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await error}");
    }
}
