using Logistics.Api.Infrastructure;
using Logistics.Application.Notifications;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Logistics.Api.Accounts;

/// <summary>
/// People sign in (password, e-mailed link), sign out, and are invited and disabled: an operator for anyone, a shop
/// for its own staff. Machines keep their API keys; nothing here takes one in place of a person's sign-in.
/// </summary>
public static class AccountEndpoints
{
    public sealed record SignInInput(string? Email, string? Password);

    /// <summary>Who is signed in: the account and the role and subject it acts as (the same as a key's).</summary>
    public sealed record SessionView(string AccountId, string Role, string SubjectId);

    /// <summary>The token a page sends in <c>X-CSRF-Token</c> with every request that changes something.</summary>
    public sealed record AntiforgeryToken(string Token, string HeaderName);

    public sealed record LinkInput(string? Email);

    public sealed record TokenInput(string? Token);

    public sealed record AcceptInput(string? Token, string? Password);

    /// <summary><c>role</c> and <c>subjectId</c>: an operator's choice; a shop invites staff for itself only.</summary>
    public sealed record InviteInput(string? Email, string? Role, string? SubjectId);

    public sealed record AccountView(string Id, string Email, string Role, string SubjectId, bool Disabled, bool Invited);

    public const string WrongCredentials = "wrong-credentials";
    public const string AccountLocked = "account-locked";
    public const string LinkInvalid = "link-invalid";
    public const string AntiforgeryMissing = "antiforgery";

    private static readonly string[] PeopleRoles = [Roles.Operator, Roles.Shop, Roles.Courier];

    private static Validation ValidEmail(string? email)
    {
        var v = new Validation();
        v.NotBlank(email, "email", "The e-mail address").MaxLength(email, "email", InputLimits.Email);
        v.Require(email is null || (email.Contains('@', StringComparison.Ordinal) && !email.Trim().Contains(' ', StringComparison.Ordinal)), "email", "validation.email", "An e-mail address is needed.");
        return v;
    }

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/session").WithTags("Accounts");

        session.MapPost("", async Task<Results<Ok<SessionView>, ProblemHttpResult>> (
            SignInInput input, UserManager<Account> users, SignInManager<Account> signIn, TimeProvider clock) =>
        {
            var account = input.Email is { Length: > 0 and <= InputLimits.Email } email ? await users.FindByEmailAsync(email.Trim()) : null;
            if (account is null || string.IsNullOrEmpty(input.Password) || input.Password.Length > 200)
            {
                return WrongPassword();
            }

            var result = await signIn.PasswordSignInAsync(account, input.Password, isPersistent: true, lockoutOnFailure: true);
            if (result.IsLockedOut)
            {
                var wait = (account.LockoutEnd ?? clock.GetUtcNow()) - clock.GetUtcNow();
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status423Locked,
                    title: "Account locked for a while",
                    detail: "Too many wrong passwords: this account is locked for a few minutes. Try again later, or ask for a sign-in link by e-mail.",
                    type: $"https://logistics.example/problems/{AccountLocked}",
                    extensions: new Dictionary<string, object?>
                    {
                        ["code"] = AccountLocked,
                        ["values"] = new Dictionary<string, object> { ["minutes"] = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes)) },
                    });
            }

            return result.Succeeded ? TypedResults.Ok(SessionOf(account)) : WrongPassword();
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn).WithMetadata(new EveryAttemptCounts())
            .WithName("signIn").WithSummary("Sign a person in with e-mail and password; sets the session cookie.")
            .WithDescription("Locks the account for a few minutes after repeated wrong passwords (423, also for the right password meanwhile); limited per client address (429).")
            .Refuses(401, 423);

        session.MapGet("", (HttpContext http) =>
            TypedResults.Ok(new SessionView(http.User.FindFirst(Sessions.AccountClaim)?.Value ?? "", http.User.Caller().Role, http.User.Caller().SubjectId)))
            .RequireAuthorization()
            .WithName("getSession").WithSummary("Who is signed in: the role and subject the session (or key) acts as.");

        session.MapDelete("", async Task<NoContent> (HttpContext http) =>
        {
            await http.SignOutAsync(IdentityConstants.ApplicationScheme);
            return TypedResults.NoContent();
        }).RequireAuthorization().WithName("signOut").WithSummary("Sign out: the session cookie is removed.");

        session.MapGet("/antiforgery", (HttpContext http, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            return TypedResults.Ok(new AntiforgeryToken(tokens.RequestToken!, Sessions.AntiforgeryHeader));
        }).RequireAuthorization()
            .WithName("getAntiforgeryToken").WithSummary("The token a signed-in page sends in X-CSRF-Token with each request that changes something.");

        session.MapPost("/link", async Task<Accepted> (LinkInput input, UserManager<Account> users, AccountLinks links, Mail mail, CancellationToken cancellationToken) =>
        {
            // A missing or malformed address is refused; a well-formed one is answered the same whether it has an
            // account or not: the form tells no one who has one.
            ValidEmail(input.Email).ThrowIfAny();
            var account = await users.FindByEmailAsync(input.Email!.Trim());
            if (account is { DisabledAt: null })
            {
                var token = await links.IssueAsync(account.Id, AccountLinks.SignIn, AccountLinks.SignInLifetime, cancellationToken);
                await mail.SendAsync(
                    account.Email,
                    "Your sign-in link / Votre lien de connexion",
                    $"Sign in / Se connecter (valid {AccountLinks.SignInLifetime.TotalMinutes:0} minutes, once):\n{mail.Link(PagePath(account.Role), "link", token)}",
                    cancellationToken);
            }

            return TypedResults.Accepted((string?)null);
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn).WithMetadata(new EveryAttemptCounts())
            .WithName("sendSignInLink").WithSummary("E-mail a single-use sign-in link (valid 15 minutes) to the address, if it has an account.").Refuses(422);

        session.MapPost("/link/redeem", async Task<Results<Ok<SessionView>, ProblemHttpResult>> (
            TokenInput input, AccountLinks links, UserManager<Account> users, SignInManager<Account> signIn, CancellationToken cancellationToken) =>
        {
            var id = await links.RedeemAsync(input.Token, AccountLinks.SignIn, cancellationToken);
            var account = id is { } found ? await users.FindByIdAsync(found.ToString()) : null;
            if (account is not { DisabledAt: null })
            {
                return InvalidLink();
            }

            await signIn.SignInAsync(account, isPersistent: true);
            return TypedResults.Ok(SessionOf(account));
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn).WithMetadata(new EveryAttemptCounts())
            .WithName("redeemSignInLink").WithSummary("Sign in with an e-mailed link's token: once, before it expires.").Refuses(401);

        session.MapPost("/invitation", async Task<Results<Ok<SessionView>, ProblemHttpResult>> (
            AcceptInput input, AccountLinks links, UserManager<Account> users, SignInManager<Account> signIn, CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrEmpty(input.Password) || input.Password.Length > 200)
            {
                throw Refusal.Invalid("password", Validation.Required, "A password of at least 10 characters is required.");
            }

            foreach (var validator in users.PasswordValidators)
            {
                var check = await validator.ValidateAsync(users, new Account { Email = "", Role = "", SubjectId = "" }, input.Password);
                if (!check.Succeeded)
                {
                    throw Refusal.Invalid("password", "validation.password", string.Join(" ", check.Errors.Select(e => e.Description)));
                }
            }

            var id = await links.RedeemAsync(input.Token, AccountLinks.Invitation, cancellationToken);
            var account = id is { } found ? await users.FindByIdAsync(found.ToString()) : null;
            if (account is not { DisabledAt: null })
            {
                return InvalidLink();
            }

            var set = account.PasswordHash is null ? await users.AddPasswordAsync(account, input.Password) : IdentityResult.Failed();
            if (!set.Succeeded)
            {
                return InvalidLink();
            }

            await signIn.SignInAsync(account, isPersistent: true);
            return TypedResults.Ok(SessionOf(account));
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn).WithMetadata(new EveryAttemptCounts())
            .WithName("acceptInvitation").WithSummary("Accept an e-mailed invitation: set the first password and sign in.").Refuses(401, 422);

        var accounts = app.MapGroup("/api/accounts").WithTags("Accounts").Role(Roles.Operator, Roles.Shop);

        accounts.MapGet("", async Task<Ok<IReadOnlyList<AccountView>>> (HttpContext http, AccountStore store, CancellationToken cancellationToken) =>
        {
            var caller = http.User.Caller();
            var network = http.User.NetworkId();
            var found = caller.IsOperator
                ? await store.ListAsync(network, null, null, cancellationToken)
                : await store.ListAsync(network, Roles.Shop, caller.SubjectId, cancellationToken);
            return TypedResults.Ok<IReadOnlyList<AccountView>>([.. found.Select(View)]);
        }).WithName("listAccounts").WithSummary("People's accounts: all of the network's for an operator, its own staff for a shop.");

        accounts.MapPost("", async Task<Created<AccountView>> (
            InviteInput input, HttpContext http, UserManager<Account> users, AccountLinks links, Mail mail, TimeProvider clock, EventStreams streams, CancellationToken cancellationToken) =>
        {
            var caller = http.User.Caller();
            var (role, subject) = caller.IsOperator
                ? (input.Role?.Trim() ?? "", input.Role?.Trim() == Roles.Operator ? "operator" : input.SubjectId?.Trim() ?? "")
                : (Roles.Shop, caller.SubjectId);
            var v = ValidEmail(input.Email);
            v.Require(PeopleRoles.Contains(role), "role", "validation.role", "The role is one of operator, shop or courier.");
            v.Require(role == Roles.Operator || InputLimits.IsId(subject), "subjectId", Validation.Required, "The shop's or courier's id is required.");
            v.ThrowIfAny();

            // A shop or courier of the operator's own network only: another network's id is as unknown as a made-up one.
            if (role is Roles.Shop or Roles.Courier
                && !await streams.VisibleToAsync(Auth.CallerExtensions.Actor(http.User), role == Roles.Shop ? Deciders.Stream(new Domain.ShopId(subject)) : Deciders.Stream(new Domain.CourierId(subject)), cancellationToken))
            {
                throw Refusal.Invalid("subjectId", "validation.subject-unknown", $"There is no {role} '{subject}' in the network.");
            }

            var account = new Account { Email = input.Email!.Trim(), Role = role, SubjectId = subject, CreatedAt = clock.GetUtcNow(), Network = http.User.NetworkId() };
            var created = await users.CreateAsync(account);
            if (!created.Succeeded)
            {
                throw Refusal.Conflict("account-exists", "An account already uses this e-mail address.");
            }

            var token = await links.IssueAsync(account.Id, AccountLinks.Invitation, AccountLinks.InvitationLifetime, cancellationToken);
            await mail.SendAsync(
                account.Email,
                "You are invited / Vous êtes invité·e",
                $"Choose your password / Choisissez votre mot de passe (valid {AccountLinks.InvitationLifetime.TotalDays:0} days, once):\n{mail.Link(PagePath(role), "invitation", token)}",
                cancellationToken);
            return TypedResults.Created($"/api/accounts/{account.Id}", View(account));
        }).WithName("inviteAccount").WithSummary("Invite a person: an account for the role and subject, and an e-mailed link to choose a password (valid 7 days, once).")
            .Refuses(409, 422);

        accounts.MapPost("/{id}/disable", async Task<Ok<AccountView>> (string id, HttpContext http, UserManager<Account> users, TimeProvider clock) =>
        {
            var caller = http.User.Caller();
            var account = await users.FindByIdAsync(id);
            if (account is null || account.Network != http.User.NetworkId() || (!caller.IsOperator && (account.Role != Roles.Shop || account.SubjectId != caller.SubjectId)))
            {
                throw Refusal.NotFound("No such account.");
            }

            if (account.Id.ToString() == http.User.FindFirst(Sessions.AccountClaim)?.Value)
            {
                throw Refusal.Conflict("cannot-disable-self", "You cannot disable your own account.");
            }

            if (account.DisabledAt is null)
            {
                account.DisabledAt = clock.GetUtcNow();
                // A new stamp ends every session of the account at its next request.
                var updated = await users.UpdateSecurityStampAsync(account);
                if (!updated.Succeeded)
                {
                    throw Refusal.Conflict("concurrency-conflict", "The account changed at the same moment: send again.");
                }
            }

            return TypedResults.Ok(View(account));
        }).WithName("disableAccount").WithSummary("Disable an account: it signs in no more, and its open sessions end at their next request.")
            .Refuses(404, 409);

        app.MapPasskeyEndpoints();
    }

    private static ProblemHttpResult WrongPassword() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Wrong e-mail or password",
        detail: "The e-mail address or the password is wrong.",
        type: $"https://logistics.example/problems/{WrongCredentials}",
        extensions: new Dictionary<string, object?> { ["code"] = WrongCredentials });

    private static ProblemHttpResult InvalidLink() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Link not valid",
        detail: "This link was used already, has expired or is unknown. Ask for a new one.",
        type: $"https://logistics.example/problems/{LinkInvalid}",
        extensions: new Dictionary<string, object?> { ["code"] = LinkInvalid });

    private static SessionView SessionOf(Account account) => new(account.Id.ToString(), account.Role, account.SubjectId);

    private static AccountView View(Account account) =>
        new(account.Id.ToString(), account.Email, account.Role, account.SubjectId, account.DisabledAt is not null, account.PasswordHash is null);

    private static string PagePath(string role) => role switch
    {
        Roles.Operator => "/operator",
        Roles.Courier => "/courier",
        Roles.Federation => "/federation",
        _ => "/shop",
    };
}

/// <summary>E-mails to people with accounts, through the host's e-mail sender; links point at the host's own address.</summary>
public sealed class Mail(IEnumerable<INotificationSender> senders, Hosting.LogisticsOptions options, IServer server, ILogger<Mail> logger)
{
    public async Task SendAsync(string to, string subject, string text, CancellationToken cancellationToken)
    {
        var sender = senders.FirstOrDefault(s => s.Channel == Channel.Email)
            ?? throw new Refusal("mail-unavailable", RefusalKind.Unavailable, "No e-mail", "This network sends no e-mail.");
        try
        {
            await sender.SendAsync(new Message(Channel.Email, to, subject, text), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Neither the address nor the link: the log carries no personal data and no secret.
            logger.LogWarning("An account e-mail could not be sent: {Error}", e.GetType().Name);
            throw new Refusal("mail-unavailable", RefusalKind.Unavailable, "E-mail not sent", "The e-mail could not be sent right now; try again in a minute.")
            {
                RetryAfter = TimeSpan.FromMinutes(1),
            };
        }
    }

    /// <summary>
    /// A page's address with the token in its fragment (never sent to a server or kept in its logs): on the configured
    /// public address, else the address this host listens on — never the request's Host header, which a caller chooses.
    /// </summary>
    public string Link(string path, string name, string token)
    {
        var origin = options.PublicUrl
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? options.Urls.Split(';')[0];
        return $"{origin.TrimEnd('/')}{path}#{name}={token}";
    }
}
