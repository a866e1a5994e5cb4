using System.Globalization;
using Logistics.Lockers.Codes;
using Logistics.Lockers.Doors;

namespace Logistics.Lockers.Host.Journal;

/// <summary>Reads of the state the board keeps besides events: codes, settings, remote-open history.</summary>
public sealed partial class Journal
{
    public IReadOnlyList<ProvisionedCode> Codes() => Read(() =>
    {
        using var cmd = Command("SELECT parcel_id, compartment, hash, expires_at FROM codes");
        using var r = cmd.ExecuteReader();
        var codes = new List<ProvisionedCode>();
        while (r.Read())
        {
            codes.Add(new ProvisionedCode(
                r.GetString(0), new CompartmentId(r.GetInt32(1)), (byte[])r[2], DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture)));
        }

        return codes;
    });

    public byte[]? Setting(string name) => Read(() =>
    {
        using var cmd = Command("SELECT value FROM settings WHERE name = $n");
        cmd.Parameters.AddWithValue("$n", name);
        return cmd.ExecuteScalar() as byte[];
    });

    public IReadOnlyList<DateTimeOffset> RemoteOpens(DateTimeOffset since) => Instants("remote_opens", since);

    public IReadOnlyList<DateTimeOffset> CodeFailures(DateTimeOffset since) => Instants("code_failures", since);

    private IReadOnlyList<DateTimeOffset> Instants(string table, DateTimeOffset since) => Read(() =>
    {
        using var cmd = Command($"SELECT at FROM {table} WHERE at >= $since");
        cmd.Parameters.AddWithValue("$since", JournalWriter.Instant(since));
        using var r = cmd.ExecuteReader();
        var at = new List<DateTimeOffset>();
        while (r.Read())
        {
            at.Add(DateTimeOffset.Parse(r.GetString(0), CultureInfo.InvariantCulture));
        }

        return at;
    });
}
