using System.Xml.Linq;
using Logistics.EventStore.PersonalData;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Logistics.Api.Accounts;

/// <summary>
/// The keys that protect sessions, antiforgery tokens and passkey ceremonies, shared by every API node: kept in
/// PostgreSQL (<c>data_protection_keys</c>) under one application name, so a cookie set by one node is read by all
/// and survives restarts, and encrypted at rest with the personal-data key-encryption key (AES-GCM), so reading the
/// database (or a backup) is not enough to forge a session.
/// </summary>
public static class SharedKeyRing
{
    public const string ApplicationName = "logistics";

    public static void AddSharedKeyRing(this IServiceCollection services, NpgsqlDataSource dataSource, KeyEncryptionKeys keks)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new PostgresXmlRepository(dataSource);
            o.XmlEncryptor = new KekXmlEncryptor(keks);
        }));
    }

    /// <summary>The key ring's XML elements, one row each, never updated (the key manager only adds).</summary>
    private sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var command = dataSource.CreateCommand("select xml from data_protection_keys order by created_at, name");
            using var reader = command.ExecuteReader();
            var elements = new List<XElement>();
            while (reader.Read())
            {
                elements.Add(XElement.Parse(reader.GetString(0)));
            }

            return elements;
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var command = dataSource.CreateCommand("insert into data_protection_keys (name, xml, created_at) values ($1, $2, now()) on conflict (name) do nothing");
            command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
            command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
            command.ExecuteNonQuery();
        }
    }

    private const string Purpose = "data-protection";

    /// <summary>Encrypts a key's secret part with the current KEK, naming the KEK so a rotated one still decrypts.</summary>
    private sealed class KekXmlEncryptor(KeyEncryptionKeys keks) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement)
        {
            var plain = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
            var sealedKey = new XElement("kekSealed", new XAttribute("kek", keks.CurrentId), Convert.ToBase64String(keks.Wrap(Purpose, plain)));
            return new EncryptedXmlInfo(sealedKey, typeof(KekXmlDecryptor));
        }
    }

    /// <summary>Made by the key manager from its services (the KEKs the host was given).</summary>
    public sealed class KekXmlDecryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement)
        {
            var keks = services.GetRequiredService<KeyEncryptionKeys>();
            var plain = keks.Unwrap(Purpose, (string)encryptedElement.Attribute("kek")!, Convert.FromBase64String(encryptedElement.Value));
            return XElement.Parse(System.Text.Encoding.UTF8.GetString(plain));
        }
    }
}
