using System.Net;
using System.Net.Http.Json;
using Logistics.Api.Accounts;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Access;

/// <summary>
/// Issue 12 with issue 16: a person signed in through one API node is signed in on every node (the load balancer sends
/// each request anywhere), because the nodes share the keys that protect the session cookie and the antiforgery
/// token, kept in PostgreSQL with their secrets sealed by the key-encryption key.
/// </summary>
public sealed class SharedKeyRingTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private TestCore _nodeA = null!;
    private TestCore _nodeB = null!;

    public async Task InitializeAsync()
    {
        _nodeA = await TestCore.StartAsync();
        _nodeB = await TestCore.StartAsync(connectionString: _nodeA.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _nodeB.DisposeAsync();
        await _nodeA.DisposeAsync();
    }

    [Fact]
    public async Task ASessionAndItsAntiforgeryTokenFromOneNodeAreHonouredByTheOther()
    {
        var net = await TestNetwork.CreateAsync(_nodeA);
        await _nodeA.Services.CreateWithPasswordAsync("lea@example.test", Password, "shop", net.ShopId);
        using var signedIn = await _nodeA.Client().PostAsJsonAsync("/api/session", new { email = "lea@example.test", password = Password });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var session = Cookie(signedIn, Sessions.CookieName);

        // On node B: the same cookie is the same shopkeeper, and the token node B gives works on node A.
        using var who = await SendAsync(_nodeB, HttpMethod.Get, "/api/session", session);
        Assert.Equal(HttpStatusCode.OK, who.StatusCode);
        Assert.Contains(net.ShopId, await who.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var tokenOnB = await SendAsync(_nodeB, HttpMethod.Get, "/api/session/antiforgery", session);
        var token = (await tokenOnB.Content.ReadFromJsonAsync<AccountEndpoints.AntiforgeryToken>(TestCore.Json))!.Token;
        var cookies = $"{session}; {Cookie(tokenOnB, "lg-csrf")}";
        using var registered = await SendAsync(_nodeA, HttpMethod.Post, "/api/parcels", cookies, (Sessions.AntiforgeryHeader, token), new
        {
            recipient = new { name = "Camille Martin", phone = TestNetwork.Phone },
            size = "S",
            destination = new { kind = "locker", lockerId = net.LockerId },
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        // The shared keys are in the database, their secrets sealed: no plain master key in what a backup holds.
        var keys = await _nodeA.QueryAsync("select xml from data_protection_keys", r => r.GetString(0));
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("kekSealed", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
        });
    }

    private static async Task<HttpResponseMessage> SendAsync(TestCore node, HttpMethod method, string path, string cookies, (string Name, string Value)? header = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookies);
        if (header is { } h)
        {
            request.Headers.Add(h.Name, h.Value);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await node.Client().SendAsync(request);
    }

    private static string Cookie(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(name + "=", StringComparison.Ordinal));
}
