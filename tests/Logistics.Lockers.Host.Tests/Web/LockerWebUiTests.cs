using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Web;
using Logistics.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Logistics.Lockers.Host.Tests.Web;

/// <summary>The locker's page mapped under a prefix of another host, as the demo API does, on a loopback port.</summary>
public sealed class LockerWebUiTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TempDirectory _dir = new();
    private LockerApp _app = null!;
    private WebApplication _web = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _app = LockerApp.Start(LockerConfig.SimulatedDemo("locker-web", 4, _dir.Path, coreUrl: null), simulated: true, TimeProvider.System, _ => { });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _web = builder.Build();
        LockerWebUi.Map(_web, "/demo/lockers/locker-web/", _app);
        await _web.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_web.Urls.First() + "/demo/lockers/locker-web/") };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _web.StopAsync();
        await _web.DisposeAsync();
        _app.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task ThePageIsSelfContainedAndCallsItsEndpointsUnderItsPrefix()
    {
        var page = await _http.GetAsync("");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("const base = \"/demo/lockers/locker-web\";", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        foreach (var id in new[] { "id=\"code-input\"", "id=\"code-submit\"", "id=\"code-message\"", "id=\"link-status\"", "id=\"doors\"", "id=\"events\"", "data-key=\"0\"", "id=\"display\"", "id=\"scan-input\"", "id=\"scan-submit\"" })
        {
            Assert.Contains(id, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StateShowsTheDoorsAPersonMovesAndTheKeypadAnswers()
    {
        var forced = await (await _http.PostAsync("doors/2/force", null)).Content.ReadFromJsonAsync<DoorAnswer>(Json);
        Assert.True(forced!.Open);
        await WaitUntil(async () => (await State()).Doors.Single(d => d.Number == 2).State == "open");
        var state = await State();
        Assert.Equal("locker-web", state.DeviceId);
        Assert.Equal("none", state.Link);
        Assert.True(state.Simulated);
        Assert.Equal([1, 2, 3, 4], state.Doors.Select(d => d.Number));
        Assert.Contains(state.Events, e => e.Kind == "forcedOpen");
        Assert.False((await (await _http.PostAsync("doors/1/open", null)).Content.ReadFromJsonAsync<DoorAnswer>(Json))!.Open);
        await _http.PostAsync("doors/2/close", null);
        await WaitUntil(async () => (await State()).Doors.Single(d => d.Number == 2).State == "closed");

        var answer = await (await _http.PostAsJsonAsync("code", new { code = "1234 5678" })).Content.ReadFromJsonAsync<CodeAnswer>(Json);
        Assert.Equal("notProvisioned", answer!.Outcome);
        Assert.False(answer.Accepted);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsJsonAsync("code", new { code = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PostAsync("doors/9/open", null)).StatusCode);
    }

    [Fact]
    public async Task ScanBoxReadsLabelsAndCodesAndTheDisplayShowsTheAnswer()
    {
        var label = await (await _http.PostAsJsonAsync("scan", new { text = "PARCEL-0042" })).Content.ReadFromJsonAsync<ScanAnswer>(Json);
        Assert.Equal(("label", "PARCEL-0042", (int?)null), (label!.Kind, label.Text, label.Compartment));
        await WaitUntil(async () => (await State()).Display[0] == "Colis scanne    ");
        Assert.Contains((await State()).Events, e => e.Kind == "labelScanned");

        var code = await (await _http.PostAsJsonAsync("scan", new { text = "1234-5678" })).Content.ReadFromJsonAsync<ScanAnswer>(Json);
        Assert.Equal(("pickupCode", "notProvisioned"), (code!.Kind, code.Code!.Outcome));
        await WaitUntil(async () => (await State()).Display.SequenceEqual(["Casier pas pret ", "Reessayez + tard"]));
        Assert.Equal("refused", (await State()).Feedback);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsJsonAsync("scan", new { text = "" })).StatusCode);
    }

    private async Task<LockerView> State() => (await _http.GetFromJsonAsync<LockerView>("state", Json))!;

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
