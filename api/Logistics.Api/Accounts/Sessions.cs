using System.Security.Claims;
using Logistics.Api.Auth;
using Logistics.Api.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Logistics.Api.Accounts;

/// <summary>
/// People's sessions beside machines' keys: ASP.NET Core Identity (its password hasher, lockout, sign-in manager)
/// over <see cref="AccountStore"/>, a session cookie, and a policy scheme that reads a request's API key when it has
/// one and its cookie otherwise. Either way the principal carries the role and subject, so endpoints see one caller.
/// </summary>
public static class Sessions
{
    /// <summary>Picks the API key or the cookie for each request.</summary>
    public const string Scheme = "KeyOrSession";

    /// <summary>
    /// <c>__Host-</c>: Secure, path /, no domain, so no sibling host can set or read it. Chromium treats
    /// http://127.0.0.1 as secure, so the demo and the tests keep the same name.
    /// </summary>
    public const string CookieName = "__Host-lg-session";

    public const string AntiforgeryHeader = "X-CSRF-Token";

    public const string AccountClaim = "lg:account";

    /// <summary>How long a session lasts without use (sliding: each use renews it).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(12);

    public static void AddSessions(this IServiceCollection services, LogisticsOptions options)
    {
        services.AddIdentityCore<Account>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = true;
                o.Lockout.MaxFailedAccessAttempts = options.SignInFailuresBeforeLockout;
                o.Lockout.DefaultLockoutTimeSpan = options.SignInLockout;
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireDigit = false;
                o.ClaimsIdentity.UserIdClaimType = AccountClaim;
                o.ClaimsIdentity.RoleClaimType = ClaimTypes.Role;
            })
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AccountPrincipals>();
        // The store holds no state of its own: one for the host, found by the session check and the endpoints too.
        services.AddSingleton<AccountStore>();
        services.AddSingleton<IUserStore<Account>>(sp => sp.GetRequiredService<AccountStore>());
        services.AddSingleton<IUserConfirmation<Account>, EnabledAccounts>();
        services.AddSingleton<AccountLinks>();
        services.AddSingleton<Passkeys>();
        services.AddSingleton<RelyingParty>();
        services.AddSingleton<PendingCeremony>();

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or session", o =>
            {
                o.ForwardDefaultSelector = http =>
                    http.Request.Headers.ContainsKey("X-Api-Key") || http.Request.Headers.Authorization.Count > 0
                        ? ApiKeyAuthentication.SchemeName
                        : IdentityConstants.ApplicationScheme;
                // Refusals are the API's problem documents whichever way the caller came, never a redirect to a form.
                o.ForwardChallenge = ApiKeyAuthentication.SchemeName;
                o.ForwardForbid = ApiKeyAuthentication.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                // Strict: the pages fetch from their own origin; an e-mailed link lands on a page that then signs in
                // with its own request, so no cross-site navigation ever needs to carry the session.
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.Path = "/";
                o.ExpireTimeSpan = IdleTimeout;
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = ValidateAsync;
                o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
            });
        services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = "lg-csrf";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the request came over https (behind the load balancer); the antiforgery system
            // refuses to run at all over http with "Always", and the demo and tests run on http://127.0.0.1.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
    }

    /// <summary>
    /// At every request: the session's account still exists, is not disabled, and its security stamp is the one it
    /// signed in with (disabling or a new password changes it). A disabled person's next request is answered 401.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(AccountClaim);
        var stamp = context.Principal?.FindFirstValue(new ClaimsIdentityOptions().SecurityStampClaimType);
        var store = context.HttpContext.RequestServices.GetRequiredService<AccountStore>();
        var account = id is null ? null : await store.FindByIdAsync(id, context.HttpContext.RequestAborted);
        if (account is null || account.DisabledAt is not null || account.SecurityStamp != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    /// <summary>A session's principal: the account, its role and subject (as a key's), and its security stamp. No e-mail.</summary>
    private sealed class AccountPrincipals(IOptions<IdentityOptions> options) : IUserClaimsPrincipalFactory<Account>
    {
        public Task<ClaimsPrincipal> CreateAsync(Account user)
        {
            var identity = new ClaimsIdentity(
                [
                    new Claim(AccountClaim, user.Id.ToString()),
                    new Claim(ClaimTypes.Role, user.Role),
                    new Claim(ClaimTypes.NameIdentifier, user.SubjectId),
                    new Claim(ClaimTypes.Name, user.Id.ToString()),
                    new Claim(Auth.CallerExtensions.NetworkClaim, user.Network),
                    new Claim(options.Value.ClaimsIdentity.SecurityStampClaimType, user.SecurityStamp),
                ],
                IdentityConstants.ApplicationScheme,
                ClaimTypes.Name,
                ClaimTypes.Role);
            return Task.FromResult(new ClaimsPrincipal(identity));
        }
    }

    /// <summary>A disabled account, or one whose invitation was never accepted, cannot sign in.</summary>
    private sealed class EnabledAccounts : IUserConfirmation<Account>
    {
        public Task<bool> IsConfirmedAsync(UserManager<Account> manager, Account user) =>
            Task.FromResult(user.DisabledAt is null && user.PasswordHash is not null);
    }

    /// <summary>Whether the request's caller is a person signed in with the session cookie (not a machine's key).</summary>
    public static bool BySession(this ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, AuthenticationType: var type } && type == IdentityConstants.ApplicationScheme;
}
