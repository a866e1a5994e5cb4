using Microsoft.AspNetCore.Identity;

namespace Logistics.Api.Accounts;

/// <summary>Accounts made with a password by the host's owner (the demo's seeding, test set-ups), not through an invitation.</summary>
public static class AccountSeeding
{
    public static async Task<Account> CreateWithPasswordAsync(
        this IServiceProvider services, string email, string password, string role, string subjectId, CancellationToken cancellationToken = default) =>
        await services.CreateWithPasswordAsync(email, password, role, subjectId, Application.Networks.NetworkIds.Default, cancellationToken);

    /// <summary>An account of one network.</summary>
    public static async Task<Account> CreateWithPasswordAsync(
        this IServiceProvider services, string email, string password, string role, string subjectId, string network, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = new Account { Email = email, Role = role, SubjectId = subjectId, CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow(), Network = network };
        var created = await users.CreateAsync(account, password);
        return created.Succeeded
            ? account
            : throw new InvalidOperationException("The account was not created: " + string.Join(" ", created.Errors.Select(e => e.Code)));
    }
}
