using Logistics.Api.Infrastructure;
using Logistics.Application.Lockers;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.LockerLink;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Gateway;

/// <summary>The boards' WebSocket, the core's public command key, and the operator's remote open.</summary>
public static class GatewayEndpoints
{
    public sealed record RemoteOpenInput(string? Reason);

    /// <summary>The command queued for the board: its result appears in the locker's events.</summary>
    public sealed record RemoteOpenQueued(string CommandId);

    public static void MapGatewayEndpoints(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.Map(LinkProtocol.Path, async (HttpContext http, LockerGateway gateway, IHostApplicationLifetime lifetime) =>
        {
            if (!http.WebSockets.IsWebSocketRequest)
            {
                throw new Refusal("websocket-expected", RefusalKind.BadRequest, "WebSocket expected", "Lockers connect here with a WebSocket.");
            }

            // Unauthenticated handshakes are limited (per address and in all) until the hello is verified.
            using var admission = gateway.AdmitHandshake(http.Connection.RemoteIpAddress?.ToString())
                ?? throw new Refusal("link-handshakes-limited", RefusalKind.TooManyRequests, "Too many handshakes", "Too many unauthenticated locker connections from this address; retry in a moment.")
                {
                    RetryAfter = TimeSpan.FromSeconds(5),
                };

            // A session lasts as long as the board stays connected: the core stopping ends it too (the board
            // reconnects to the next core), or a shutdown would wait for every board until its timeout.
            using var session = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
            using var socket = await http.WebSockets.AcceptWebSocketAsync(LinkProtocol.SubProtocol);
            await gateway.RunAsync(socket, admission, session.Token);
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapGet("/api/lockers/core-public-key", ContentHttpResult (CommandSigner signer) => TypedResults.Text(signer.PublicKeyPem, "application/x-pem-file"))
            .WithTags("Lockers").Role(Roles.Operator, Roles.Locker).Produces<string>(StatusCodes.Status200OK, "application/x-pem-file").WithName("getCorePublicKey").WithSummary("The core's command-signing public key, for the boards' configuration.");

        app.MapPost("/api/lockers/{id}/compartments/{number:int}/remote-open", async Task<Accepted<RemoteOpenQueued>> (string id, int number, RemoteOpenInput input, LockerDevices devices, EventStreams streams, HttpContext http) =>
        {
            // Never another network's door: its locker is answered as unknown.
            await streams.RequireVisibleAsync(http, Deciders.Stream(new LockerId(id)), $"Locker {id} has no controller registered.");
            new Validation().NotBlank(input.Reason, "reason", "A reason (it is recorded)").MaxLength(input.Reason, "reason", InputLimits.Reason).ThrowIfAny();
            var commandId = await devices.EnqueueAsync(new LockerId(id), new CommandBody.RemoteOpen(number, input.Reason!.Trim(), http.User.Subject()), TimeSpan.FromMinutes(5))
                ?? throw Refusal.NotFound($"Locker {id} has no controller registered.");
            return TypedResults.Accepted($"/api/lockers/{id}", new RemoteOpenQueued(commandId));
        }).WithTags("Lockers").Role(Roles.Operator).WithName("openCompartmentRemotely").Refuses(404, 422).WithSummary("Open a compartment remotely, with a mandatory reason (operator).");
    }
}
