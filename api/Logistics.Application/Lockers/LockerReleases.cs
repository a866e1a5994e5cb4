using System.Security.Cryptography;
using Logistics.Application.Refusals;
using Logistics.Domain;
using Logistics.LockerLink;
using Npgsql;

namespace Logistics.Application.Lockers;

/// <summary>A release as listed: its version, the runtime it was built for, its bundle's size, when it was made and published.</summary>
public sealed record ReleaseView(string Version, string Runtime, long BundleBytes, string BundleSha256, DateTimeOffset CreatedAt, DateTimeOffset PublishedAt);

/// <summary>
/// A locker's board program: the version its last hello reported, and the release an operator asked it to install with
/// how far that went — <c>requested</c> (queued), <c>installing</c> (the board accepted the command and is fetching it),
/// <c>installed</c> (installed beside the running version, restarting), <c>updated</c> (the new version said hello),
/// or <c>refused</c> / <c>rolledBack</c> / <c>expired</c> with the board's reason.
/// </summary>
public sealed record FleetEntry(
    string LockerId,
    string Name,
    string Network,
    bool Online,
    string? ProgramVersion,
    DateTimeOffset? ReportedAt,
    string? UpdateVersion,
    string? UpdateState,
    string? UpdateDetail,
    DateTimeOffset? UpdateAt);

/// <summary>
/// Fleet updates, the core's side: releases of the board program stored as published (the signed manifest and the
/// bundle, both served unchanged to the boards), the <c>installRelease</c> command queued for a locker's board, and
/// what the boards report back (their version in each hello, <c>updateInstalled</c>, <c>updateRefused</c>,
/// <c>updateRolledBack</c>). The core holds the release key's public half only, to refuse a release that no board
/// would install; the private half stays with whoever signs releases.
/// </summary>
public sealed class LockerReleases(NpgsqlDataSource dataSource, LockerDevices devices, TimeProvider clock, ECDsa? releaseKey)
{
    /// <summary>How long a board has to take an <c>installRelease</c> command (a board offline for longer is asked again).</summary>
    public static readonly TimeSpan CommandLifetime = TimeSpan.FromDays(2);

    /// <summary>The largest bundle accepted (a self-contained linux-arm64 publish is about 35 MB compressed).</summary>
    public const long MaxBundleBytes = 256L * 1024 * 1024;

    public const string Requested = "requested";
    public const string Installing = "installing";
    public const string Installed = "installed";
    public const string Updated = "updated";
    public const string Refused = "refused";
    public const string RolledBack = "rolledBack";
    public const string Expired = "expired";

    /// <summary>The release key's public half from PEM (or base64 DER); <see cref="FormatException"/> when it is not a P-256 public key.</summary>
    public static ECDsa ParseKey(string text)
    {
        var der = LockerDevices.ParsePublicKey(text) ?? throw new FormatException("The release key is not a P-256 public key (PEM or base64 DER).");
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(der, out _);
        return key;
    }

    /// <summary>Whether this core can take releases: it was given the release key's public half.</summary>
    public bool Configured => releaseKey is not null;

    /// <summary>
    /// Stores a release after checking what every board will check (the release key's signature, the product, the
    /// bundle's length and SHA-256). Publishing the same release again changes nothing (Published false); another
    /// release under a version already published is refused: a version names one program for good.
    /// </summary>
    public async Task<(bool Published, ReleaseView Release)> PublishAsync(string manifestJson, Stream bundle, string publishedBy, CancellationToken cancellationToken)
    {
        if (releaseKey is null)
        {
            throw Refusal.Conflict("release.no-key", "This core was not given the release key's public half (LOGISTICS_RELEASE_PUBLIC_KEY): it cannot check releases, so it takes none.");
        }

        SignedRelease release;
        try
        {
            release = SignedRelease.Read(manifestJson);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException)
        {
            throw Refusal.Invalid("manifest", "release.manifest", "The manifest is not a signed release manifest (manifest.json as release-pack writes it).");
        }

        var manifest = release.Manifest;
        new Validation()
            .Require(manifest is not null && release.Signature is not null, "manifest", "release.manifest", "The manifest is not a signed release manifest (manifest.json as release-pack writes it).")
            .ThrowIfAny();
        new Validation()
            .Require(manifest!.Product == ReleaseManifest.LockerProduct, "manifest", "release.product", $"The release is of {manifest.Product}, not of the locker program.")
            .Require(InputLimits.IsId(manifest.Version), "manifest", "release.version", "A release's version has at most 100 letters, digits, '.', '_', ':' or '-'.")
            .Require(!string.IsNullOrWhiteSpace(manifest.Runtime) && !string.IsNullOrWhiteSpace(manifest.EntryPoint), "manifest", "release.manifest", "The manifest names no runtime or entry point.")
            .Require(manifest.BundleBytes is > 0 and <= MaxBundleBytes, "manifest", "release.size", $"A bundle has at most {MaxBundleBytes / (1024 * 1024)} MB.")
            .ThrowIfAny();
        new Validation()
            .Require(release.IsSignedBy(releaseKey), "manifest", "release.signature", "The manifest is not signed by the release key: no board would install it.")
            .ThrowIfAny();

        // Read whole (checked against the manifest's length on the way: never more than it announced, plus one byte).
        using var bytes = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await bundle.ReadAsync(buffer, cancellationToken)) > 0)
        {
            bytes.Write(buffer, 0, read);
            if (bytes.Length > manifest.BundleBytes)
            {
                break;
            }
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)));
        new Validation()
            .Require(bytes.Length == manifest.BundleBytes && string.Equals(sha, manifest.BundleSha256, StringComparison.OrdinalIgnoreCase), "bundle", "release.bundle", "The bundle is not the one the manifest describes (its length or SHA-256 differ).")
            .ThrowIfAny();

        await using var command = dataSource.CreateCommand(
            """
            insert into locker_releases (version, manifest, runtime, bundle, bundle_bytes, bundle_sha256, created_at, published_by, published_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            on conflict (version) do nothing
            returning version, runtime, bundle_bytes, bundle_sha256, created_at, published_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = manifest.Version });
        command.Parameters.Add(new NpgsqlParameter { Value = release.ToJson() });
        command.Parameters.Add(new NpgsqlParameter { Value = manifest.Runtime });
        command.Parameters.Add(new NpgsqlParameter { Value = new ArraySegment<byte>(bytes.GetBuffer(), 0, (int)bytes.Length) });
        command.Parameters.Add(new NpgsqlParameter { Value = bytes.Length });
        command.Parameters.Add(new NpgsqlParameter { Value = sha });
        command.Parameters.Add(new NpgsqlParameter { Value = manifest.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = publishedBy });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                return (true, ReadView(reader));
            }
        }

        var stored = await FindAsync(manifest.Version, cancellationToken);
        return stored is not null && stored.BundleSha256 == sha
            ? (false, stored)
            : throw Refusal.Conflict("release.version-taken", $"Release {manifest.Version} is already published with another bundle: publish this one under a new version.");
    }

    public async Task<IReadOnlyList<ReleaseView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select version, runtime, bundle_bytes, bundle_sha256, created_at, published_at from locker_releases order by published_at desc, version");
        var releases = new List<ReleaseView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            releases.Add(ReadView(reader));
        }

        return releases;
    }

    public async Task<ReleaseView?> FindAsync(string version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select version, runtime, bundle_bytes, bundle_sha256, created_at, published_at from locker_releases where version = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadView(reader) : null;
    }

    /// <summary>The signed manifest exactly as published, or null.</summary>
    public async Task<string?> ManifestAsync(string version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select manifest from locker_releases where version = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Copies the bundle of <paramref name="version"/> to <paramref name="output"/>; false when there is no such release.</summary>
    public async Task<bool> CopyBundleAsync(string version, Func<long, Stream> output, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("select bundle_bytes, bundle from locker_releases where version = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return false;
        }

        var length = reader.GetInt64(0);
        await using var bundle = await reader.GetStreamAsync(1, cancellationToken);
        await bundle.CopyToAsync(output(length), cancellationToken);
        return true;
    }

    /// <summary>
    /// Asks a locker's board to install <paramref name="version"/> (a signed <c>installRelease</c> command, taken
    /// when the board is connected, within <see cref="CommandLifetime"/>). Returns the command's id.
    /// </summary>
    public async Task<string> RollOutAsync(LockerId locker, string version, CancellationToken cancellationToken)
    {
        _ = await FindAsync(version, cancellationToken)
            ?? throw Refusal.Invalid("version", "release.unknown", $"There is no release {version}: publish it first.");
        var commandId = $"release:{locker.Value}:{version}:{Guid.CreateVersion7():N}";
        _ = await devices.EnqueueAsync(locker, new CommandBody.InstallRelease(version), clock.GetUtcNow() + CommandLifetime, commandId, cancellationToken)
            ?? throw Refusal.NotFound($"Locker {locker.Value} has no controller registered.");
        await using var command = dataSource.CreateCommand(
            """
            update locker_devices set update_version = $2, update_command = $3, update_state = 'requested', update_detail = null, update_at = $4
            where locker_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = locker.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        command.Parameters.Add(new NpgsqlParameter { Value = commandId });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return commandId;
    }

    /// <summary>Every locker of a network (of all, for null) with its board's program and its last update, by name.</summary>
    public async Task<IReadOnlyList<FleetEntry>> FleetAsync(string? network, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            select l.locker_id, l.name, l.network_id, l.online and {LockerSessions.AliveSql},
                d.program_version, d.program_reported_at, d.update_version,
                case when d.update_state = 'requested' and c.status is null and c.expires_at <= $2 then 'expired' else d.update_state end,
                d.update_detail, d.update_at
            from rm_lockers l
            left join locker_devices d on d.locker_id = l.locker_id
            left join locker_commands c on c.command_id = d.update_command
            where ($1::text is null or l.network_id = $1)
            order by l.name, l.locker_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)network ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        var fleet = new List<FleetEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            fleet.Add(new FleetEntry(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetBoolean(3),
                Text(reader, 4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                Text(reader, 6),
                Text(reader, 7),
                Text(reader, 8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return fleet;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static ReleaseView ReadView(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5));
}
