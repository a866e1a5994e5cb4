using Logistics.LockerLink;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Terminal;

namespace Logistics.Lockers.Host.Web;

/// <summary>The last events of one board, newest first, for the page (the journal drops events once acknowledged).</summary>
internal sealed class LockerActivity
{
    private const int Keep = 40;
    private readonly LinkedList<ActivityLine> _lines = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private long _next;

    public LockerActivity(LockerApp app)
    {
        _time = app.Journal.Clock.Time;
        app.Controller.Recorded += payload => Add(Kind(payload), TerminalUi.Describe(payload));
        if (app.Link is { } link)
        {
            link.StateChanged += state => Add("link", $"link {state.ToString().ToLowerInvariant()}");
        }
    }

    public IReadOnlyList<ActivityLine> Recent()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }

    private void Add(string kind, string text)
    {
        lock (_gate)
        {
            _lines.AddFirst(new ActivityLine(++_next, _time.GetUtcNow(), kind, text));
            while (_lines.Count > Keep)
            {
                _lines.RemoveLast();
            }
        }
    }

    private static string Kind(DevicePayload payload)
    {
        var name = payload.GetType().Name;
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
