using System.Text;

namespace Logistics.EventStore.PersonalData;

/// <summary>
/// The people erased on request, one person id a line in an append-only file kept outside the database (ids are
/// pseudonymous: never a name, phone or address). An erasure is written here, and flushed to disk, before it is
/// applied and acknowledged; every start applies the whole ledger again, so restoring a database backup taken before
/// an erasure does not bring the person back. The file must live where database restores do not roll it back, and be
/// shared by every node of the core.
/// </summary>
public sealed class ErasureLedger(string path)
{
    private readonly Lock _gate = new();

    public string Path => path;

    /// <summary>Records an erasure durably (written and flushed) before anything else happens.</summary>
    public Task AppendAsync(string personId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // One id a line: an id with a line break would read back as two people (person ids are generated hex).
        if (personId.Length == 0 || personId.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("A person id is one non-empty line.", nameof(personId));
        }

        // A short synchronous write under a lock: appends from one process never interleave, and the line is on disk
        // before the caller goes on.
        lock (_gate)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.WriteThrough);
            file.Write(Encoding.UTF8.GetBytes(personId + "\n"));
            file.Flush(flushToDisk: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>Every person the ledger holds, once each (an absent file holds nobody).</summary>
    public async Task<IReadOnlyList<string>> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var lines = await File.ReadAllLinesAsync(path, cancellationToken);

        // A line cut short by a crash while appending is a prefix of no id ever acknowledged: it is still applied,
        // which erases nobody that exists.
        return [.. lines.Where(l => l.Length > 0).Distinct(StringComparer.Ordinal)];
    }
}
