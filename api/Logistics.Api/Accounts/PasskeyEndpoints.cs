using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Logistics.Api.Infrastructure;
using Logistics.Application.Refusals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Logistics.Api.Accounts;

/// <summary>
/// Passkeys (WebAuthn) beside passwords: a signed-in person adds one from their page; anyone then signs in with one,
/// without typing an e-mail address (the authenticator offers the passkeys it holds for this site). Verification is
/// the Fido2 library's; the challenge is the one kept in <see cref="PendingCeremony"/>, never one the page sends.
/// </summary>
public static class PasskeyEndpoints
{
    /// <summary>The browser's <c>PublicKeyCredential</c> from <c>navigator.credentials.create</c>, as JSON, and an optional name for it.</summary>
    public sealed record RegistrationInput(JsonElement Credential, string? Label);

    public sealed record PasskeyView(string Id, string? Label, DateTimeOffset CreatedAt);

    public const string PasskeyRefused = "passkey-refused";
    public const string PasskeyNotAdded = "passkey-not-added";

    private const string RegisterPurpose = "register";
    private const string SignInPurpose = "sign-in";

    public static void MapPasskeyEndpoints(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/session").WithTags("Accounts");

        session.MapPost("/passkey/register/options", async Task<Ok<JsonElement>> (
            HttpContext http, UserManager<Account> users, Passkeys passkeys, RelyingParty party, PendingCeremony pending, CancellationToken cancellationToken) =>
        {
            var account = await PersonAsync(http, users);
            var existing = await passkeys.OfAsync(account.Id, cancellationToken);
            var options = party.Fido2().RequestNewCredential(new RequestNewCredentialParams
            {
                User = new Fido2User { Id = account.Id.ToByteArray(), Name = account.Email, DisplayName = account.Email },
                ExcludeCredentials = [.. existing.Select(p => new PublicKeyCredentialDescriptor(p.CredentialId))],
                AuthenticatorSelection = new AuthenticatorSelection
                {
                    ResidentKey = ResidentKeyRequirement.Required,
                    UserVerification = UserVerificationRequirement.Preferred,
                },
                AttestationPreference = AttestationConveyancePreference.None,
            });
            pending.Keep(http, RegisterPurpose, $"{account.Id}\n{options.ToJson()}");
            return TypedResults.Ok(JsonDocument.Parse(options.ToJson()).RootElement.Clone());
        }).RequireAuthorization()
            .WithName("passkeyRegistrationOptions").WithSummary("Start adding a passkey to the signed-in person's account: the options for navigator.credentials.create.")
            .WithDescription("Only a person's session (not an API key). The challenge is kept for 5 minutes in an HttpOnly cookie that only this host can read.")
            .Refuses(403);

        session.MapPost("/passkey/register", async Task<Results<Created<PasskeyView>, ProblemHttpResult>> (
            RegistrationInput input, HttpContext http, UserManager<Account> users, Passkeys passkeys, RelyingParty party, PendingCeremony pending, CancellationToken cancellationToken) =>
        {
            var account = await PersonAsync(http, users);
            var v = new Validation();
            v.MaxLength(input.Label, "label", 100).ThrowIfAny();
            var kept = (await pending.TakeAsync(http, RegisterPurpose, cancellationToken))?.Split('\n', 2);
            if (kept is not [var accountId, var json] || accountId != account.Id.ToString())
            {
                return NotAdded("No passkey is being added here, or it took more than 5 minutes: start again.");
            }

            if (Read<AuthenticatorAttestationRawResponse>(input.Credential) is not { } response)
            {
                return NotAdded("The authenticator's answer could not be read: start again.");
            }

            RegisteredPublicKeyCredential credential;
            try
            {
                credential = await party.Fido2().MakeNewCredentialAsync(
                    new MakeNewCredentialParams
                    {
                        AttestationResponse = response,
                        OriginalOptions = CredentialCreateOptions.FromJson(json),
                        IsCredentialIdUniqueToUserCallback = async (args, ct) => await passkeys.FindAsync(args.CredentialId, ct) is null,
                    },
                    cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return NotAdded("The authenticator's answer could not be verified: start again.");
            }

            var stored = await passkeys.AddAsync(credential.Id, account.Id, credential.PublicKey, credential.SignCount, input.Label?.Trim() is { Length: > 0 } label ? label : null, cancellationToken);
            return stored is null
                ? NotAdded("This passkey is registered already.")
                : TypedResults.Created("/api/session/passkeys", View(stored));
        }).RequireAuthorization()
            .WithName("registerPasskey").WithSummary("Add a passkey to the signed-in person's account: the browser's answer to the registration options.")
            .WithDescription("Only a person's session (not an API key), within 5 minutes of asking for the options.")
            .Refuses(403, 409, 422);

        session.MapPost("/passkey/options", Ok<JsonElement> (HttpContext http, RelyingParty party, PendingCeremony pending) =>
        {
            // Discoverable credentials: no allow list, so the authenticator offers the passkeys it holds for this site
            // and nobody learns from the options whether an address has an account.
            var options = party.Fido2().GetAssertionOptions(new GetAssertionOptionsParams
            {
                AllowedCredentials = [],
                UserVerification = UserVerificationRequirement.Preferred,
            });
            pending.Keep(http, SignInPurpose, options.ToJson());
            return TypedResults.Ok(JsonDocument.Parse(options.ToJson()).RootElement.Clone());
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn).WithMetadata(new EveryAttemptCounts())
            .WithName("passkeySignInOptions").WithSummary("Start signing in with a passkey: the options for navigator.credentials.get.")
            .WithDescription("The challenge is kept for 5 minutes in an HttpOnly cookie that only this host can read; limited per client address (429).");

        session.MapPost("/passkey", async Task<Results<Ok<AccountEndpoints.SessionView>, ProblemHttpResult>> (
            JsonElement input, HttpContext http, UserManager<Account> users, SignInManager<Account> signIn, Passkeys passkeys, RelyingParty party, PendingCeremony pending,
            CancellationToken cancellationToken) =>
        {
            var json = await pending.TakeAsync(http, SignInPurpose, cancellationToken);
            var response = Read<AuthenticatorAssertionRawResponse>(input);
            var passkey = response?.RawId is { Length: > 0 and <= 1023 } rawId ? await passkeys.FindAsync(rawId, cancellationToken) : null;
            if (json is null || response is null || passkey is null)
            {
                return Refused();
            }

            VerifyAssertionResult result;
            try
            {
                result = await party.Fido2().MakeAssertionAsync(
                    new MakeAssertionParams
                    {
                        AssertionResponse = response,
                        OriginalOptions = AssertionOptions.FromJson(json),
                        StoredPublicKey = passkey.PublicKey,
                        StoredSignatureCounter = passkey.SignCount,
                        IsUserHandleOwnerOfCredentialIdCallback = (args, _) =>
                            Task.FromResult(args.UserHandle.AsSpan().SequenceEqual(passkey.AccountId.ToByteArray()) && args.CredentialId.AsSpan().SequenceEqual(passkey.CredentialId)),
                    },
                    cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever the library found wrong (signature, challenge, origin, counter, a malformed part), the
                // answer is one refusal, which names no account.
                return Refused();
            }

            var account = await users.FindByIdAsync(passkey.AccountId.ToString());
            if (account is not { DisabledAt: null })
            {
                return Refused();
            }

            await passkeys.UpdateCountAsync(passkey.CredentialId, result.SignCount, cancellationToken);
            await signIn.SignInAsync(account, isPersistent: true);
            return TypedResults.Ok(new AccountEndpoints.SessionView(account.Id.ToString(), account.Role, account.SubjectId));
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn).WithMetadata(new EveryAttemptCounts())
            .WithName("signInWithPasskey").WithSummary("Sign a person in with a passkey: the browser's answer to the sign-in options; sets the session cookie.")
            .WithDescription("Refused (401) for an unknown or wrong passkey, an answer to no pending challenge, or a disabled account; limited per client address (429).")
            .Refuses(401);

        session.MapGet("/passkeys", async Task<Ok<IReadOnlyList<PasskeyView>>> (HttpContext http, UserManager<Account> users, Passkeys passkeys, CancellationToken cancellationToken) =>
        {
            var account = await PersonAsync(http, users);
            return TypedResults.Ok<IReadOnlyList<PasskeyView>>([.. (await passkeys.OfAsync(account.Id, cancellationToken)).Select(View)]);
        }).RequireAuthorization()
            .WithName("listPasskeys").WithSummary("The signed-in person's passkeys.").Refuses(403);

        // POST …/remove rather than DELETE /api/session/passkeys/{id}: a path id of "../" would turn such a DELETE into
        // DELETE /api/session (signing out), as /api/accounts/{id}/disable avoids the same way.
        session.MapPost("/passkeys/{id}/remove", async Task<NoContent> (string id, HttpContext http, UserManager<Account> users, Passkeys passkeys, CancellationToken cancellationToken) =>
        {
            var account = await PersonAsync(http, users);
            if (Passkeys.FromBase64Url(id) is not { } credentialId || !await passkeys.RemoveAsync(account.Id, credentialId, cancellationToken))
            {
                throw Refusal.NotFound("No such passkey.");
            }

            return TypedResults.NoContent();
        }).RequireAuthorization()
            .WithName("removePasskey").WithSummary("Remove one of the signed-in person's passkeys: it signs in no more.").Refuses(403, 404);
    }

    /// <summary>The signed-in person's account: passkeys belong to people, so a machine's key is refused (403).</summary>
    private static async Task<Account> PersonAsync(HttpContext http, UserManager<Account> users)
    {
        var id = http.User.BySession() ? http.User.FindFirst(Sessions.AccountClaim)?.Value : null;
        return (id is null ? null : await users.FindByIdAsync(id))
            ?? throw Refusal.Forbidden("Passkeys belong to people: sign in on a page, not with an API key.");
    }

    /// <summary>The browser's credential as the Fido2 library reads it (its own names and converters); null when it is not one.</summary>
    private static T? Read<T>(JsonElement json)
        where T : class
    {
        try
        {
            return json.ValueKind == JsonValueKind.Object ? json.Deserialize<T>() : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    private static PasskeyView View(StoredPasskey passkey) => new(Passkeys.Base64Url(passkey.CredentialId), passkey.Label, passkey.CreatedAt);

    private static ProblemHttpResult Refused() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Passkey not accepted",
        detail: "This passkey was not accepted: it is unknown here, its account is disabled, or it took too long. Sign in with your password or an e-mailed link.",
        type: $"https://logistics.example/problems/{PasskeyRefused}",
        extensions: new Dictionary<string, object?> { ["code"] = PasskeyRefused });

    private static ProblemHttpResult NotAdded(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Passkey not added",
        detail: detail,
        type: $"https://logistics.example/problems/{PasskeyNotAdded}",
        extensions: new Dictionary<string, object?> { ["code"] = PasskeyNotAdded });
}
