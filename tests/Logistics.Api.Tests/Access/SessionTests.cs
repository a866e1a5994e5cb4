using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Logistics.Api.Accounts;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Access;

/// <summary>
/// People's sessions over real HTTP: password sign-in and its cookie, lockout after wrong passwords, the limit per
/// address, antiforgery on changes made with the cookie, a disabled account's session ending, e-mailed links used
/// once, and an invitation leading to a password. The cookie is carried by hand, as a browser would (HttpClient's
/// cookie jar keeps Secure cookies off plain http).
/// </summary>
public sealed partial class SessionTests : ApiTest
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task APasswordSignsInWithAHostOnlySecureHttpOnlyStrictCookieThatActsAsTheShop()
    {
        var (parcel, _) = await Net.RegisterForLockerAsync();
        await Server.SettleAsync();
        await Server.Services.CreateWithPasswordAsync("lea@example.test", Password, "shop", Net.ShopId);

        using var response = await SignInAsync("lea@example.test", Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(Sessions.CookieName + "=", StringComparison.Ordinal));
        var attributes = setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
        Assert.Contains(attributes, a => a.StartsWith("expires=", StringComparison.Ordinal));

        var session = Cookie(response);
        var parcels = await Json(await SendAsync(HttpMethod.Get, "/api/parcels", session));
        Assert.Contains(parcels.EnumerateArray(), p => p.GetProperty("parcelId").GetString() == parcel);
        var me = await Json(await SendAsync(HttpMethod.Get, "/api/session", session));
        Assert.Equal(Net.ShopId, me.GetProperty("subjectId").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/couriers", session)).StatusCode);
    }

    [Fact]
    public async Task WrongPasswordsLockTheAccountAndTheRightOneIsRefusedWhileLocked()
    {
        await Server.Services.CreateWithPasswordAsync("max@example.test", Password, "courier", Net.CourierId);

        for (var i = 1; i < 5; i++)
        {
            using var wrong = await SignInAsync("max@example.test", "not the password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("wrong-credentials", (await Json(wrong)).GetProperty("code").GetString());
        }

        using var fifth = await SignInAsync("max@example.test", "not the password");
        Assert.Equal(HttpStatusCode.Locked, fifth.StatusCode);
        Assert.Equal("account-locked", (await Json(fifth)).GetProperty("code").GetString());
        using var right = await SignInAsync("max@example.test", Password);
        Assert.Equal(HttpStatusCode.Locked, right.StatusCode);
        Assert.Equal("application/problem+json", right.Content.Headers.ContentType?.MediaType);
        Assert.False(right.Headers.Contains("Set-Cookie"));
    }

    /// <summary>
    /// A guesser sending wrong passwords all at once gets no more tries than one sending them in turn: each counts,
    /// and the account is locked when the limit is reached, so the right password is refused afterwards.
    /// </summary>
    [Fact]
    public async Task WrongPasswordsSentAtOnceEachCountAndLockTheAccount()
    {
        await Server.Services.CreateWithPasswordAsync("noa@example.test", Password, "courier", Net.CourierId);

        using var start = new SemaphoreSlim(0);
        var attempts = Enumerable.Range(0, 12).Select(async _ =>
        {
            await start.WaitAsync();
            using var wrong = await SignInAsync("noa@example.test", "not the password");
            return wrong.StatusCode;
        }).ToArray();
        start.Release(attempts.Length);
        var statuses = await Task.WhenAll(attempts);

        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Locked }));
        Assert.Contains(HttpStatusCode.Locked, statuses);
        using var right = await SignInAsync("noa@example.test", Password);
        Assert.Equal(HttpStatusCode.Locked, right.StatusCode);
    }

    [Fact]
    public async Task SigningInIsLimitedPerAddress()
    {
        await using var core = await TestCore.StartAsync(connectionString: Server.ConnectionString, configure: o => o with { SignInRequestsPerMinute = 3 });
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await core.Client().PostAsJsonAsync("/api/session", new { email = $"nobody{i}@example.test", password = "whatever it is" });
            statuses.Add((int)response.StatusCode);
            if (i == 3)
            {
                Assert.Equal("rate-limited", (await Json(response)).GetProperty("code").GetString());
                Assert.True(response.Headers.Contains("Retry-After"));
            }
        }

        Assert.Equal([401, 401, 401, 429], statuses);
    }

    [Fact]
    public async Task AChangeMadeWithTheCookieNeedsTheAntiforgeryToken()
    {
        var (parcel, _) = await Net.RegisterForLockerAsync();
        await Server.Services.CreateWithPasswordAsync("lea@example.test", Password, "shop", Net.ShopId);
        using var signedIn = await SignInAsync("lea@example.test", Password);
        var session = Cookie(signedIn);
        await Server.SettleAsync();
        var before = await (await Net.Shop.GetAsync($"/api/parcels/{parcel}")).Content.ReadAsStringAsync();

        using var forged = await SendAsync(HttpMethod.Post, $"/api/parcels/{parcel}/cancel", session, new { });
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("antiforgery", (await Json(forged)).GetProperty("code").GetString());
        Assert.Equal(before, await (await Net.Shop.GetAsync($"/api/parcels/{parcel}")).Content.ReadAsStringAsync());

        using var tokenResponse = await SendAsync(HttpMethod.Get, "/api/session/antiforgery", session);
        var token = (await Json(tokenResponse)).GetProperty("token").GetString()!;
        var cookies = $"{session}; {Cookie(tokenResponse, "lg-csrf")}";
        using var wrongToken = await SendAsync(HttpMethod.Post, $"/api/parcels/{parcel}/cancel", cookies, new { }, ("X-CSRF-Token", token[..^4] + "AAAA"));
        Assert.Equal(HttpStatusCode.Forbidden, wrongToken.StatusCode);
        using var real = await SendAsync(HttpMethod.Post, $"/api/parcels/{parcel}/cancel", cookies, new { }, ("X-CSRF-Token", token));
        Assert.Equal(HttpStatusCode.NoContent, real.StatusCode);
    }

    [Fact]
    public async Task ADisabledAccountsOpenSessionEndsAtItsNextRequest()
    {
        var account = await Server.Services.CreateWithPasswordAsync("lea@example.test", Password, "shop", Net.ShopId);
        using var signedIn = await SignInAsync("lea@example.test", Password);
        var session = Cookie(signedIn);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/parcels", session)).StatusCode);

        await (await Server.Operator().PostJsonAsync($"/api/accounts/{account.Id}/disable", null)).OkAsync();

        using var after = await SendAsync(HttpMethod.Get, "/api/parcels", session);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var again = await SignInAsync("lea@example.test", Password);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        var listed = await Json(await Server.Operator().GetAsync("/api/accounts"));
        Assert.True(listed.EnumerateArray().Single(a => a.GetProperty("id").GetString() == account.Id.ToString()).GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task AShopDisablesItsOwnStaffOnly()
    {
        var own = await Server.Services.CreateWithPasswordAsync("own@example.test", Password, "shop", Net.ShopId);
        var courier = await Server.Services.CreateWithPasswordAsync("max@example.test", Password, "courier", Net.CourierId);

        Assert.Equal(HttpStatusCode.NotFound, (await Net.Shop.PostJsonAsync($"/api/accounts/{courier.Id}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Client(Net.OtherShopKey).PostJsonAsync($"/api/accounts/{own.Id}/disable", null)).StatusCode);
        var staff = await Json(await Net.Shop.GetAsync("/api/accounts"));
        Assert.Equal([own.Id.ToString()], staff.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        await (await Net.Shop.PostJsonAsync($"/api/accounts/{own.Id}/disable", null)).OkAsync();
    }

    [Fact]
    public async Task AnEmailedLinkSignsInOnceAndNotTwice()
    {
        await Server.Services.CreateWithPasswordAsync("lea@example.test", Password, "shop", Net.ShopId);

        Assert.Equal(HttpStatusCode.Accepted, (await Server.Client().PostAsJsonAsync("/api/session/link", new { email = "nobody@example.test" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Server.Client().PostAsJsonAsync("/api/session/link", new { email = "lea@example.test" })).StatusCode);
        var mail = Assert.Single(Server.Email.Sent);
        Assert.Equal("lea@example.test", mail.To);
        var token = LinkToken().Match(mail.Text);
        Assert.True(token.Success, mail.Text);
        Assert.Contains("/shop#link=", mail.Text, StringComparison.Ordinal);

        using var first = await Server.Client().PostAsJsonAsync("/api/session/link/redeem", new { token = token.Groups["token"].Value });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/parcels", Cookie(first))).StatusCode);
        using var second = await Server.Client().PostAsJsonAsync("/api/session/link/redeem", new { token = token.Groups["token"].Value });
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal("link-invalid", (await Json(second)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnExpiredLinkSignsNoOneIn()
    {
        await Server.Services.CreateWithPasswordAsync("lea@example.test", Password, "shop", Net.ShopId);
        await Server.Client().PostAsJsonAsync("/api/session/link", new { email = "lea@example.test" });
        var token = LinkToken().Match(Assert.Single(Server.Email.Sent).Text).Groups["token"].Value;

        Server.Clock.Advance(AccountLinks.SignInLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Client().PostAsJsonAsync("/api/session/link/redeem", new { token })).StatusCode);
    }

    [Fact]
    public async Task AShopInvitesStaffWhoSetAPasswordAndSignIn()
    {
        using var invited = await Net.Shop.PostJsonAsync("/api/accounts", new { email = "sam@example.test", role = "operator" });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var account = await Json(invited);
        Assert.Equal("shop", account.GetProperty("role").GetString());
        Assert.Equal(Net.ShopId, account.GetProperty("subjectId").GetString());
        var mail = Assert.Single(Server.Email.Sent);
        var token = InvitationToken().Match(mail.Text).Groups["token"].Value;
        using var beforePassword = await SignInAsync("sam@example.test", "");
        Assert.Equal(HttpStatusCode.Unauthorized, beforePassword.StatusCode);

        using var tooShort = await Server.Client().PostAsJsonAsync("/api/session/invitation", new { token, password = "short" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooShort.StatusCode);
        using var accepted = await Server.Client().PostAsJsonAsync("/api/session/invitation", new { token, password = Password });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/parcels", Cookie(accepted))).StatusCode);
        using var reused = await Server.Client().PostAsJsonAsync("/api/session/invitation", new { token, password = "another long password" });
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);

        using var signIn = await SignInAsync("sam@example.test", Password);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Net.Shop.PostJsonAsync("/api/accounts", new { email = "SAM@example.test" })).StatusCode);
    }

    [Fact]
    public async Task AnOperatorInvitesACourierForThatCourier()
    {
        using var invited = await Server.Operator().PostJsonAsync("/api/accounts", new { email = "max@example.test", role = "courier", subjectId = Net.CourierId });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var token = InvitationToken().Match(Assert.Single(Server.Email.Sent).Text).Groups["token"].Value;
        Assert.Contains("/courier#invitation=", Server.Email.Sent.Single().Text, StringComparison.Ordinal);

        using var accepted = await Server.Client().PostAsJsonAsync("/api/session/invitation", new { token, password = Password });
        var load = await SendAsync(HttpMethod.Get, "/api/couriers/me/load", Cookie(accepted));
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Server.Operator().PostJsonAsync("/api/accounts", new { email = "x@example.test", role = "locker", subjectId = Net.LockerId })).StatusCode);
    }

    private Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        Server.Client().PostAsJsonAsync("/api/session", new { email, password });

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string cookies, object? body = null, (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookies);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (header is { } h)
        {
            request.Headers.Add(h.Name, h.Value);
        }

        return await Server.Client().SendAsync(request);
    }

    /// <summary>"name=value" of a cookie the answer set.</summary>
    private static string Cookie(HttpResponseMessage response, string name = Sessions.CookieName) =>
        response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(name + "=", StringComparison.Ordinal));

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [GeneratedRegex("#link=(?<token>[A-Za-z0-9_-]+)")]
    private static partial Regex LinkToken();

    [GeneratedRegex("#invitation=(?<token>[A-Za-z0-9_-]+)")]
    private static partial Regex InvitationToken();
}
