using System.Runtime.InteropServices;
using System.Text.Json;

namespace Logistics.Lockers.Host.Updates;

/// <summary>
/// Where releases live on a board, under one root (<c>/opt/logistics-locker</c>): <c>versions/{version}/</c> one
/// folder per installed release (its files and its signed <c>release.json</c>), <c>current</c> and <c>previous</c>
/// relative symlinks to two of them (systemd starts <c>current/Logistics.Lockers.Host</c>), <c>incoming/</c> for
/// downloads, <c>trial.json</c> while a new release has not yet reached the core, <c>rollback.json</c> when one was
/// undone and the restored version has not reported it yet. Every change is a write to a temporary name, an fsync,
/// and a rename (atomic on one file system), then an fsync of the folder, so a power cut leaves one state or the other.
/// </summary>
public sealed partial class ReleaseLayout(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Versions => Path.Combine(Root, "versions");

    public string Incoming => Path.Combine(Root, "incoming");

    public string Current => Path.Combine(Root, "current");

    public string Previous => Path.Combine(Root, "previous");

    public string TrialFile => Path.Combine(Root, "trial.json");

    public string RollbackFile => Path.Combine(Root, "rollback.json");

    public string VersionFolder(string version) => Path.Combine(Versions, version);

    /// <summary>The version a link names (<c>versions/2.1.0</c> → 2.1.0), or null when the link is missing.</summary>
    public static string? Target(string link) =>
        new FileInfo(link).LinkTarget is { } target ? Path.GetFileName(target.TrimEnd('/')) : null;

    public string? CurrentVersion => Target(Current);

    public string? PreviousVersion => Target(Previous);

    /// <summary>Points <paramref name="link"/> at <c>versions/{version}</c> in one rename.</summary>
    public void Link(string link, string version)
    {
        var temporary = link + ".new";
        File.Delete(temporary);
        File.CreateSymbolicLink(temporary, Path.Combine("versions", version));
        Rename(temporary, link);
        SyncFolder(Root);
    }

    public static T? Read<T>(string file)
        where T : class =>
        File.Exists(file) ? JsonSerializer.Deserialize<T>(File.ReadAllText(file), Json) : null;

    public static void Write<T>(string file, T value)
    {
        var temporary = file + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, value, Json);
            stream.Flush(flushToDisk: true);
        }

        Rename(temporary, file);
        SyncFolder(Path.GetDirectoryName(file)!);
    }

    public static void Delete(string file)
    {
        if (File.Exists(file))
        {
            File.Delete(file);
            SyncFolder(Path.GetDirectoryName(file)!);
        }
    }

    /// <summary>Makes a rename or a new entry in <paramref name="folder"/> durable (fsync of the folder itself).</summary>
    public static void SyncFolder(string folder)
    {
        var fd = Open(folder, ReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open {folder} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of {folder} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>rename(2): replaces <paramref name="to"/> (a file or a symlink, never followed) in one step.</summary>
    public static void Rename(string from, string to)
    {
        if (RenameAt(from, to) != 0)
        {
            throw new IOException($"rename {from} → {to} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    // O_RDONLY | O_DIRECTORY (Linux: 0x10000 on x86-64 and arm64 alike).
    private const int ReadOnlyDirectory = 0x10000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt(string from, string to);
}

/// <summary>A release on trial: it must reach the core before its deadline, or within so many starts.</summary>
public sealed record TrialRecord(string Version, string Previous, int Starts, DateTimeOffset InstalledAt);

/// <summary>A release the board went back from, for the restored version to report.</summary>
public sealed record RollbackRecord(string FailedVersion, string RestoredVersion, string Reason);
