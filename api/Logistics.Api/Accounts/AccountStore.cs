using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Logistics.Api.Accounts;

/// <summary>
/// ASP.NET Core Identity's user store over our PostgreSQL (table <c>accounts</c>, created by the application's schema
/// with everything else). Written over Npgsql rather than with Identity's EF Core stores: the project has no EF Core,
/// and one table of a dozen columns is less than a second data-access stack, its migrations and its schema to keep
/// beside ours. The user name is the e-mail address.
/// </summary>
public sealed class AccountStore(NpgsqlDataSource dataSource, IOptions<IdentityOptions> identity)
    : IUserPasswordStore<Account>, IUserEmailStore<Account>, IUserSecurityStampStore<Account>, IUserLockoutStore<Account>
{
    private const string Columns =
        "id, email, normalized_email, password_hash, security_stamp, concurrency_stamp, role, subject_id, access_failed_count, lockout_end, disabled_at, created_at, network_id";

    public async Task<IdentityResult> CreateAsync(Account user, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"insert into accounts ({Columns}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) on conflict (normalized_email) do nothing");
        Bind(command, user);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(user.Email));
    }

    public async Task<IdentityResult> UpdateAsync(Account user, CancellationToken cancellationToken)
    {
        // Optimistic: a change made meanwhile by another request (its concurrency stamp moved on) is not overwritten.
        var expected = user.ConcurrencyStamp;
        user.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        await using var command = dataSource.CreateCommand(
            """
            update accounts set email = $2, normalized_email = $3, password_hash = $4, security_stamp = $5, concurrency_stamp = $6,
                access_failed_count = $9, lockout_end = $10, disabled_at = $11
            where id = $1 and concurrency_stamp = $14
            """);
        Bind(command, user);
        command.Parameters.Add(new NpgsqlParameter { Value = expected });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return IdentityResult.Success;
        }

        user.ConcurrencyStamp = expected;
        return IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure());
    }

    public async Task<IdentityResult> DeleteAsync(Account user, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("delete from accounts where id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = user.Id });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return IdentityResult.Success;
    }

    public Task<Account?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Guid.TryParse(userId, out var id) ? FindAsync("id = $1", id, cancellationToken) : Task.FromResult<Account?>(null);

    public Task<Account?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindAsync("normalized_email = $1", normalizedUserName, cancellationToken);

    public Task<Account?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        FindAsync("normalized_email = $1", normalizedEmail, cancellationToken);

    /// <summary>The accounts of a network (of one role and one subject, when given), oldest first.</summary>
    public async Task<IReadOnlyList<Account>> ListAsync(string network, string? role, string? subjectId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"select {Columns} from accounts where network_id = $3 and ($1::text is null or role = $1) and ($2::text is null or subject_id = $2) order by created_at, id limit 500");
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = role });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = subjectId });
        command.Parameters.Add(new NpgsqlParameter { Value = network });
        var accounts = new List<Account>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(Read(reader));
        }

        return accounts;
    }

    public Task<string> GetUserIdAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.Id.ToString());

    public Task<string?> GetUserNameAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task SetUserNameAsync(Account user, string? userName, CancellationToken cancellationToken)
    {
        user.Email = userName ?? user.Email;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedUserNameAsync(Account user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedName ?? user.NormalizedEmail;
        return Task.CompletedTask;
    }

    public Task SetEmailAsync(Account user, string? email, CancellationToken cancellationToken) => SetUserNameAsync(user, email, cancellationToken);

    public Task<string?> GetEmailAsync(Account user, CancellationToken cancellationToken) => GetUserNameAsync(user, cancellationToken);

    /// <summary>An address is confirmed by its use: an invitation or a sign-in link reaches only its owner.</summary>
    public Task<bool> GetEmailConfirmedAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetEmailConfirmedAsync(Account user, bool confirmed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<string?> GetNormalizedEmailAsync(Account user, CancellationToken cancellationToken) => GetNormalizedUserNameAsync(user, cancellationToken);

    public Task SetNormalizedEmailAsync(Account user, string? normalizedEmail, CancellationToken cancellationToken) =>
        SetNormalizedUserNameAsync(user, normalizedEmail, cancellationToken);

    public Task SetPasswordHashAsync(Account user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetSecurityStampAsync(Account user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(Account user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Counts a wrong password in the database itself, under the account's row lock, and locks the account there when
    /// it is the last one allowed (the count starting again at 0). Counted in the request (read, add one, write back
    /// under the concurrency stamp), wrong passwords sent at once counted once between them: a guesser sending them
    /// in bursts got many more tries than the limit. The stamp moves on, so a request still holding the account as it
    /// was cannot write back an older count or clear the lockout. Returns the wrong passwords counted, the last one
    /// included, as Identity expects, which then sets the same lockout on the account it holds.
    /// </summary>
    public async Task<int> IncrementAccessFailedCountAsync(Account user, CancellationToken cancellationToken)
    {
        var stamp = Guid.NewGuid().ToString("N");
        await using var command = dataSource.CreateCommand(
            """
            with counted as (select id, access_failed_count + 1 as n from accounts where id = $1 for update)
            update accounts a set
                access_failed_count = case when counted.n >= $2 then 0 else counted.n end,
                lockout_end = case when counted.n >= $2 then $3 else a.lockout_end end,
                concurrency_stamp = $4
            from counted where a.id = counted.id
            returning counted.n, a.lockout_end
            """);
        var lockout = identity.Value.Lockout;

        // Identity compares lockouts with DateTimeOffset.UtcNow; so does this one.
        command.Parameters.Add(new NpgsqlParameter { Value = user.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = lockout.MaxFailedAccessAttempts });
        command.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow.Add(lockout.DefaultLockoutTimeSpan) });
        command.Parameters.Add(new NpgsqlParameter { Value = stamp });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return ++user.AccessFailedCount;
        }

        var counted = reader.GetInt32(0);
        user.AccessFailedCount = counted;
        user.LockoutEnd = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
        user.ConcurrencyStamp = stamp;
        return counted;
    }

    public Task ResetAccessFailedCountAsync(Account user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    /// <summary>Every account is locked out after repeated wrong passwords.</summary>
    public Task<bool> GetLockoutEnabledAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetLockoutEnabledAsync(Account user, bool enabled, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }

    private async Task<Account?> FindAsync(string where, object value, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from accounts where {where}");
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static Account Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        Email = reader.GetString(1),
        NormalizedEmail = reader.GetString(2),
        PasswordHash = reader.IsDBNull(3) ? null : reader.GetString(3),
        SecurityStamp = reader.GetString(4),
        ConcurrencyStamp = reader.GetString(5),
        Role = reader.GetString(6),
        SubjectId = reader.GetString(7),
        AccessFailedCount = reader.GetInt32(8),
        LockoutEnd = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
        DisabledAt = reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(11),
        Network = reader.GetString(12),
    };

    private static void Bind(NpgsqlCommand command, Account user)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = user.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = user.Email });
        command.Parameters.Add(new NpgsqlParameter { Value = user.NormalizedEmail });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = user.PasswordHash });
        command.Parameters.Add(new NpgsqlParameter { Value = user.SecurityStamp });
        command.Parameters.Add(new NpgsqlParameter { Value = user.ConcurrencyStamp });
        command.Parameters.Add(new NpgsqlParameter { Value = user.Role });
        command.Parameters.Add(new NpgsqlParameter { Value = user.SubjectId });
        command.Parameters.Add(new NpgsqlParameter { Value = user.AccessFailedCount });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = user.LockoutEnd });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = user.DisabledAt });
        command.Parameters.Add(new NpgsqlParameter { Value = user.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = user.Network });
    }
}
