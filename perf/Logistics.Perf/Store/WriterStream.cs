using System.Globalization;

namespace Logistics.Perf.Store;

/// <summary>
/// The stream one writer appends to, with the version it expects. Writers never share a stream, so every append
/// carries the right expected version; after a few appends the writer moves to a new stream, as parcels do.
/// </summary>
internal sealed class WriterStream(string prefix, int appendsPerStream)
{
    private int _number;
    private int _appends;

    public string StreamId { get; private set; } = Name(prefix, 0);

    public long Version { get; private set; }

    public void Appended(int events)
    {
        Version += events;
        if (++_appends < appendsPerStream)
        {
            return;
        }

        _appends = 0;
        Version = 0;
        StreamId = Name(prefix, ++_number);
    }

    private static string Name(string prefix, int number) =>
        prefix + "-" + number.ToString("D6", CultureInfo.InvariantCulture);
}
