using System.Reflection;
using System.Text.Json;
using Logistics.Lockers.Codes;
using Logistics.Lockers.Doors;
using Logistics.Lockers.Hardware.Simulated;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Panel;
using Logistics.Lockers.Host.Terminal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Logistics.Lockers.Host.Web;

/// <summary>
/// A locker a person can use, as a local web page: the doors, a keypad for the pickup code (checked on the board,
/// so it works offline, exactly like the terminal), the person at a simulated door (open, close, force), the link
/// and the last events. Mapped under any prefix of any host: the board's own Kestrel (<c>--web URL</c>) or the
/// demo API, which hosts simulated lockers in-process. Endpoints under the prefix:
/// <c>GET /</c> the page, <c>GET state</c>, <c>POST code</c> <c>{"code":"…"}</c>, <c>POST scan</c> <c>{"text":"…"}</c>,
/// <c>POST doors/{n}/open|close|force</c> (the person at a simulated door) and <c>POST doors/{n}/jam|unjam</c>
/// (a fault to inject), simulated board only (404 otherwise).
/// </summary>
public static class LockerWebUi
{
    // The page reads camelCase whatever JSON settings the hosting application chose for its own API.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Logistics.Lockers.Host.Web.locker.html")
            ?? throw new InvalidOperationException("The locker page is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>Maps the page and its endpoints under <paramref name="prefix"/> (e.g. <c>/</c> or <c>/demo/lockers/locker-01</c>).</summary>
    /// <returns>The route group, so a host can add its own conventions (e.g. <c>AllowAnonymous()</c>).</returns>
    public static RouteGroupBuilder Map(IEndpointRouteBuilder routes, string prefix, LockerApp app)
    {
        var basePath = "/" + prefix.Trim('/');
        var group = routes.MapGroup(basePath);
        var activity = new LockerActivity(app);
        var html = Page.Value.Replace("\"{{BASE}}\"", JsonSerializer.Serialize(basePath == "/" ? "" : basePath), StringComparison.Ordinal);

        group.MapGet("/", (HttpContext http) =>
        {
            // Everything is inline: the page must work on a board with no way out to the internet.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            return Results.Content(html, "text/html; charset=utf-8");
        });
        group.MapGet("/state", () => Results.Json(State(app, activity), Json));
        group.MapPost("/code", (CodeInput input) => string.IsNullOrWhiteSpace(input.Code)
            ? Results.BadRequest(new { error = "code is required" })
            : Results.Json(Answer(app.Panel.Submit(input.Code)), Json));
        group.MapPost("/scan", (ScanInput input) => string.IsNullOrWhiteSpace(input.Text)
            ? Results.BadRequest(new { error = "text is required" })
            : Results.Json(
                app.Panel.Scan(input.Text) switch
                {
                    ScanOutcome.PickupCode p => new ScanAnswer("pickupCode", Answer(p.Check), null, null),
                    ScanOutcome.Label l => new ScanAnswer("label", null, l.Text, l.Compartment),
                    _ => throw new InvalidOperationException("unknown scan outcome"),
                },
                Json));
        foreach (var action in new[] { "open", "close", "force", "jam", "unjam" })
        {
            group.MapPost($"/doors/{{number:int}}/{action}", (int number) =>
                Door(app, number) is { } door ? Results.Json(Play(number, door, action), Json) : Results.NotFound(new { error = $"no simulated door {number}" }));
        }

        return group;
    }

    private static LockerView State(LockerApp app, LockerActivity activity)
    {
        var waiting = app.Journal.Codes().Select(c => c.Compartment).ToHashSet();
        var doors = app.Controller.Doors;
        var views = doors.Compartments.OrderBy(c => c.Value).Select(c =>
        {
            var status = doors.Status(c);
            var latch = Door(app, c.Value)?.LatchReleased ?? false;
            var state = status.Phase switch
            {
                DoorPhase.Open => "open",
                DoorPhase.Closed when !latch => "closed",
                _ => "unlocked",
            };
            return new DoorView(c.Value, state, status.Phase.ToString(), status.LeftOpenAlarm, app.Controller.IsOutOfService(c), waiting.Contains(c));
        }).ToList();
        var journal = app.Journal;
        var last = journal.LastSeq;
        return new LockerView(
            app.Config.DeviceId,
            app.Link?.State.ToString().ToLowerInvariant() ?? "none",
            last,
            last - journal.AckedSeq,
            (int)Math.Ceiling(app.Controller.KeypadLockedFor.TotalMinutes),
            app.Hardware.Simulated is not null,
            views,
            activity.Recent(),
            app.Peripherals.SimulatedDisplay?.Lines ?? app.Panel.Lines,
            app.Peripherals.Beeper?.Last is { } feedback ? char.ToLowerInvariant(feedback.ToString()[0]) + feedback.ToString()[1..] : null,
            BoardVersion.Current);
    }

    public static CodeAnswer Answer(CodeCheck check) => check switch
    {
        CodeCheck.Accepted a => new CodeAnswer(true, "accepted", a.Compartment.Value, 0, TerminalUi.Answer(check)) { Compartments = [.. a.All.Select(o => o.Compartment.Value)] },
        CodeCheck.Rejected r => new CodeAnswer(false, char.ToLowerInvariant(r.Reason.ToString()[0]) + r.Reason.ToString()[1..], null, r.RetryAfterMinutes, TerminalUi.Answer(check)),
        _ => throw new ArgumentOutOfRangeException(nameof(check)),
    };

    private static SimulatedDoor? Door(LockerApp app, int number)
    {
        if (app.Hardware.Simulated is not { } board)
        {
            return null;
        }

        var index = app.Config.Compartments.ToList().FindIndex(c => c.Number == number);
        return index < 0 ? null : board.Doors[index];
    }

    private static DoorAnswer Play(int number, SimulatedDoor door, string action)
    {
        switch (action)
        {
            case "open":
                return door.PersonOpens() ? new DoorAnswer(number, true, "You open the door.") : new DoorAnswer(number, false, "The door is locked.");
            case "close":
                door.PersonCloses();
                return new DoorAnswer(number, false, "You close the door.");
            case "jam" or "unjam":
                door.Jammed = action == "jam";
                return new DoorAnswer(number, door.IsOpen, door.Jammed ? "The lock is now jammed." : "The lock works again.");
            default:
                door.ForceOpen();
                return new DoorAnswer(number, true, "You force the door open.");
        }
    }
}
