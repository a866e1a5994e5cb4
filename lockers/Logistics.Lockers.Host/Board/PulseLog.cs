using System.Globalization;
using System.Text;
using Logistics.Lockers.Doors;

namespace Logistics.Lockers.Host.Board;

/// <summary>
/// Records every coil switch-on of a simulated board in an append-only file before the relay is written, for
/// tests and diagnostics: a line <c>pulse {bootId} {intentId} {attempt} {compartment} {cause}</c>, where cause
/// is <c>command:{id}</c> or <c>parcel:{id}</c>. The write is flushed first, so a process killed right after the
/// relay moved still leaves its line; a crash test counts the lines per intent to prove nothing is pulsed twice.
/// </summary>
internal sealed class PulseLog(ICoilOutput inner, Journal.Journal journal, string path) : ICoilOutput, IDisposable
{
    private readonly FileStream _file = new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
    private readonly Dictionary<long, int> _attempts = [];
    private readonly Lock _gate = new();

    public void SetCoil(CompartmentId compartment, bool energised)
    {
        if (energised)
        {
            Record(compartment);
        }

        inner.SetCoil(compartment, energised);
    }

    public void Dispose() => _file.Dispose();

    private void Record(CompartmentId compartment)
    {
        var intent = journal.UnfinishedIntents().LastOrDefault(i => i.Compartment == compartment.Value);
        var cause = intent?.Cause switch
        {
            { CommandId: { } command } => "command:" + command,
            { ParcelId: { } parcel } => "parcel:" + parcel,
            _ => "none",
        };
        lock (_gate)
        {
            var id = intent?.Id ?? 0;
            var attempt = _attempts[id] = _attempts.GetValueOrDefault(id) + 1;
            var line = string.Create(CultureInfo.InvariantCulture, $"pulse {journal.Clock.BootId:N} {id} {attempt} {compartment.Value} {cause}\n");
            _file.Write(Encoding.UTF8.GetBytes(line));
            _file.Flush(flushToDisk: true);
        }
    }
}
