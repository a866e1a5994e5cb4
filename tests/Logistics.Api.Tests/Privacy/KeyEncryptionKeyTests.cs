using System.Security.Cryptography;
using Logistics.Api.Hosting;
using Logistics.Domain.Parcels;
using Logistics.EventStore.PersonalData;
using Logistics.Testing;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Privacy;

/// <summary>
/// Issue 11, class 14: every person's key is stored wrapped by a key-encryption key (KEK) from configuration, so what
/// the database holds — read directly, as from a dump or a copy — decrypts nothing; a host given another KEK does not
/// start (it says which variable to set) rather than show everyone as erased; keys stored before wrapping and keys
/// under a previous KEK are rewrapped under the current one at start; a host without a KEK or a ledger does not start.
/// </summary>
public sealed class KeyEncryptionKeyTests
{
    private const string Name = "Camille Martin";

    [Fact]
    public async Task WhatTheDatabaseHoldsDecryptsNothingWithoutTheKek()
    {
        await using var core = await TestCore.StartAsync();
        var net = await TestNetwork.CreateAsync(core);
        var (parcel, _) = await net.RegisterForLockerAsync();
        var (person, wrapped, kekId) = await KeyRowAsync(core, parcel);
        var sealedName = await SealedRecipientAsync(core, parcel);

        // The stored key is no AES key at all, nor is any 32 bytes of it; the KEK unwraps it (so this check can fail).
        Assert.Equal(12 + 16 + 32, wrapped.Length);
        for (var at = 0; at + 32 <= wrapped.Length; at++)
        {
            var window = wrapped[at..(at + 32)];
            Assert.Null(Unseal(person, sealedName, window));
        }

        Assert.Equal(TestKeks.Shared.CurrentId, kekId);
        Assert.Contains(Name, Unseal(person, sealedName, TestKeks.Shared.Unwrap(person, kekId, wrapped)), StringComparison.Ordinal);
        var dump = string.Join('\n', await core.QueryAsync("select data::text from es_events union all select encode(key, 'escape') from es_personal_keys where key is not null", r => r.GetString(0)));
        Assert.DoesNotContain(Name, dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHostGivenAnotherKekRefusesToStartAndNamesTheSetting()
    {
        string connectionString;
        string parcel;
        await using (var core = await TestCore.StartAsync())
        {
            (parcel, _) = await (await TestNetwork.CreateAsync(core)).RegisterForLockerAsync();
            connectionString = core.ConnectionString;
        }

        var other = KeyEncryptionKeys.Parse(KeyEncryptionKeys.NewBase64());
        var refused = await Assert.ThrowsAsync<UnknownKeyEncryptionKeyException>(() => TestCore.StartAsync(connectionString: connectionString, configure: o => o with { KeyEncryptionKeys = other }));

        Assert.Contains("LOGISTICS_PERSONAL_DATA_KEK", refused.Message, StringComparison.Ordinal);
        Assert.Contains(TestKeks.Shared.CurrentId, refused.Message, StringComparison.Ordinal);

        // The host with the right KEK still reads the name.
        await using var again = await TestCore.StartAsync(connectionString: connectionString);
        Assert.Equal(Name, await RecipientNameAsync(again, parcel));
    }

    [Fact]
    public async Task KeysStoredBeforeWrappingOrUnderAPreviousKekAreRewrappedUnderTheCurrentOneAtStart()
    {
        var first = KeyEncryptionKeys.NewBase64();
        var second = KeyEncryptionKeys.NewBase64();
        string connectionString;
        string parcel;
        await using (var core = await TestCore.StartAsync(configure: o => o with { KeyEncryptionKeys = KeyEncryptionKeys.Parse(first) }))
        {
            (parcel, _) = await (await TestNetwork.CreateAsync(core)).RegisterForLockerAsync();
            connectionString = core.ConnectionString;
        }

        // Rotation: the new KEK, the old one still named; every key moves under the new one.
        await using (var rotated = await TestCore.StartAsync(connectionString: connectionString, configure: o => o with { KeyEncryptionKeys = KeyEncryptionKeys.Parse(second, first) }))
        {
            Assert.Equal(Name, await RecipientNameAsync(rotated, parcel));
            var row = await KeyRowAsync(rotated, parcel);
            Assert.Equal(KeyEncryptionKeys.IdOf(Convert.FromBase64String(second)), row.KekId);

            // A key as stored before keys were wrapped: in clear, no KEK id.
            var key = KeyEncryptionKeys.Parse(second).Unwrap(row.Person, row.KekId, row.Wrapped);
            await rotated.QueryAsync("update es_personal_keys set key = $2, kek_id = null where person_id = $1 returning 1", r => r.GetInt32(0), row.Person, key);
        }

        // The old KEK is no longer needed, and the key in clear is wrapped at this start.
        await using var current = await TestCore.StartAsync(connectionString: connectionString, configure: o => o with { KeyEncryptionKeys = KeyEncryptionKeys.Parse(second) });
        var rewrapped = await KeyRowAsync(current, parcel);
        Assert.Equal(KeyEncryptionKeys.IdOf(Convert.FromBase64String(second)), rewrapped.KekId);
        Assert.Equal(60, rewrapped.Wrapped.Length);
        Assert.Equal(Name, await RecipientNameAsync(current, parcel));
    }

    [Fact]
    public async Task AHostWithoutAKekOrAnErasureLedgerRefusesToStart()
    {
        var database = await PostgresServer.CreateDatabaseAsync("nokek");
        var options = new LogisticsOptions
        {
            ConnectionString = database,
            Urls = $"http://127.0.0.1:{Loopback.FreePort()}",
            BackgroundWork = false,
            NoNotifications = true,
            KeyEncryptionKeys = TestKeks.Shared,
            ErasureLedger = TestCore.ErasureLedgerOf(database),
        };

        var noKek = await Assert.ThrowsAsync<MissingPersonalDataSettingsException>(() => LogisticsApp.BuildAsync(options with { KeyEncryptionKeys = null }));
        var noLedger = await Assert.ThrowsAsync<MissingPersonalDataSettingsException>(() => LogisticsApp.BuildAsync(options with { ErasureLedger = null }));
        var badKek = Assert.Throws<FormatException>(() => KeyEncryptionKeys.Parse(Convert.ToBase64String(new byte[16])));
        await using var given = await LogisticsApp.BuildAsync(options);

        Assert.Contains("LOGISTICS_PERSONAL_DATA_KEK", noKek.Message, StringComparison.Ordinal);
        Assert.Contains("LOGISTICS_ERASURE_LEDGER", noLedger.Message, StringComparison.Ordinal);
        Assert.Contains("32 bytes", badKek.Message, StringComparison.Ordinal);
    }

    /// <summary>The recipient's text unsealed with <paramref name="key"/>, or null when that key does not open it.</summary>
    private static string? Unseal(string person, byte[] sealedValue, byte[] key)
    {
        try
        {
            var plain = new byte[sealedValue.Length - 28];
            using var aes = new AesGcm(key, 16);
            aes.Decrypt(sealedValue.AsSpan(0, 12), sealedValue.AsSpan(28), sealedValue.AsSpan(12, 16), plain, System.Text.Encoding.UTF8.GetBytes(person));
            return System.Text.Encoding.UTF8.GetString(plain);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static async Task<(string Person, byte[] Wrapped, string KekId)> KeyRowAsync(TestCore core, string parcel) =>
        (await core.QueryAsync(
            """
            select k.person_id, k.key, k.kek_id from es_personal_keys k
            where k.person_id = (select data -> 'recipient' ->> 'person' from es_events where stream_id = 'parcel-' || $1 order by version limit 1)
            """,
            r => (r.GetString(0), r.GetFieldValue<byte[]>(1), r.GetString(2)),
            parcel)).Single();

    private static async Task<byte[]> SealedRecipientAsync(TestCore core, string parcel) =>
        Convert.FromBase64String((await core.QueryAsync(
            "select data -> 'recipient' ->> 'sealed' from es_events where stream_id = 'parcel-' || $1 order by version limit 1", r => r.GetString(0), parcel)).Single());

    /// <summary>The name as the core decrypts it from the parcel's first event (not from a read model, which keeps it in clear).</summary>
    private static async Task<string> RecipientNameAsync(TestCore core, string parcel) =>
        (await core.ParcelEventsAsync(parcel)).OfType<ParcelRegistered>().Single().Recipient.Name;
}
