using System.Net;
using System.Net.Http.Json;
using Logistics.Api.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Access;

/// <summary>Passkeys over real HTTP: a forged answer signs nobody in; only a person's session adds, lists or removes one.</summary>
public sealed partial class SessionTests
{
    [Fact]
    public async Task AForgedOrGarbagePasskeyAnswerIsRefusedAndSignsNobodyIn()
    {
        var account = await Server.Services.CreateWithPasswordAsync("lea@example.test", Password, "shop", Net.ShopId);
        var credentialId = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
        await Server.Services.GetRequiredService<Passkeys>().AddAsync(credentialId, account.Id, [0xA5, 0x01, 0x02], 0, null, CancellationToken.None);

        using var options = await Server.Client().PostAsJsonAsync("/api/session/passkey/options", new { });
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        var body = await Json(options);
        Assert.Equal("localhost", body.GetProperty("rpId").GetString());
        Assert.True(body.GetProperty("challenge").GetString()!.Length >= 16);
        Assert.True(!body.TryGetProperty("allowCredentials", out var allowed) || allowed.GetArrayLength() == 0);
        var pending = Cookie(options, PendingCeremony.CookieName);

        var id = Passkeys.Base64Url(credentialId);
        var forged = new
        {
            id,
            rawId = id,
            type = "public-key",
            response = new
            {
                authenticatorData = Passkeys.Base64Url(new byte[37]),
                clientDataJSON = Passkeys.Base64Url("""{"type":"webauthn.get","challenge":"AAAA","origin":"http://localhost"}"""u8.ToArray()),
                signature = Passkeys.Base64Url(new byte[64]),
                userHandle = Passkeys.Base64Url(account.Id.ToByteArray()),
            },
            clientExtensionResults = new { },
        };
        foreach (var (answer, cookies) in new (object Answer, string Cookies)[]
        {
            (forged, pending),
            (forged, "lg-other=1"),
            (new { id = "bm8", rawId = "bm8", type = "public-key", response = new { } }, pending),
            (new { garbage = true }, pending),
            ("not an answer", pending),
        })
        {
            using var refused = await SendAsync(HttpMethod.Post, "/api/session/passkey", cookies, answer);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal("passkey-refused", (await Json(refused)).GetProperty("code").GetString());
            Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith(Sessions.CookieName + "=", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task OnlyAPersonsSessionAddsAPasskey()
    {
        var account = await Server.Services.CreateWithPasswordAsync("lea@example.test", Password, "shop", Net.ShopId);
        var credential = new { credential = new { id = "bm8", rawId = "bm8", type = "public-key", response = new { attestationObject = "bm8", clientDataJSON = "bm8" } } };

        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Client().PostAsJsonAsync("/api/session/passkey/register/options", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Client().PostAsJsonAsync("/api/session/passkey/register", credential)).StatusCode);
        using var byKey = await Net.Shop.PostAsJsonAsync("/api/session/passkey/register/options", new { });
        Assert.Equal(HttpStatusCode.Forbidden, byKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Net.Shop.PostAsJsonAsync("/api/session/passkey/register", credential)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Net.Shop.GetAsync("/api/session/passkeys")).StatusCode);

        using var signedIn = await SignInAsync("lea@example.test", Password);
        var session = Cookie(signedIn);
        using var noToken = await SendAsync(HttpMethod.Post, "/api/session/passkey/register/options", session, new { });
        Assert.Equal(HttpStatusCode.Forbidden, noToken.StatusCode);
        Assert.Equal("antiforgery", (await Json(noToken)).GetProperty("code").GetString());

        using var tokenResponse = await SendAsync(HttpMethod.Get, "/api/session/antiforgery", session);
        var token = ("X-CSRF-Token", (await Json(tokenResponse)).GetProperty("token").GetString()!);
        var cookies = $"{session}; {Cookie(tokenResponse, "lg-csrf")}";
        using var options = await SendAsync(HttpMethod.Post, "/api/session/passkey/register/options", cookies, new { }, token);
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        var body = await Json(options);
        Assert.Equal("localhost", body.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal(Passkeys.Base64Url(account.Id.ToByteArray()), body.GetProperty("user").GetProperty("id").GetString());

        using var forged = await SendAsync(HttpMethod.Post, "/api/session/passkey/register", $"{cookies}; {Cookie(options, PendingCeremony.CookieName)}", credential, token);
        Assert.Equal(HttpStatusCode.Conflict, forged.StatusCode);
        Assert.Equal("passkey-not-added", (await Json(forged)).GetProperty("code").GetString());
        var listed = await Json(await SendAsync(HttpMethod.Get, "/api/session/passkeys", session));
        Assert.Equal(0, listed.GetArrayLength());

        // One added (as the browser journey does, PasskeyTests): listed, then removed by its owner only.
        await Server.Services.GetRequiredService<Passkeys>().AddAsync([7, 7, 7, 7], account.Id, [0xA5], 0, "laptop", CancellationToken.None);
        var mine = Assert.Single((await Json(await SendAsync(HttpMethod.Get, "/api/session/passkeys", session))).EnumerateArray());
        Assert.Equal("laptop", mine.GetProperty("label").GetString());
        var id = mine.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Forbidden, (await Net.Shop.PostAsJsonAsync($"/api/session/passkeys/{id}/remove", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, $"/api/session/passkeys/{id}/remove", cookies, new { }, token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/api/session/passkeys/{id}/remove", cookies, new { }, token)).StatusCode);
        Assert.Equal(0, (await Json(await SendAsync(HttpMethod.Get, "/api/session/passkeys", session))).GetArrayLength());
    }
}
