using System.Text.Json;
using System.Text.Json.Serialization;
using Logistics.Domain;
using Logistics.Domain.Parcels;

namespace Logistics.Application.Streams;

/// <summary>
/// Reads a recipient (once unsealed: it sits after the sealing converter, which hands it the plain bytes) straight
/// from the reader. Every parcel's registration and every home stop of every round plan holds one, and the general
/// path's setup per value was most of what reading a sealed recipient cost. Writes what the general path writes;
/// reads names in any case and order, unknown ones skipped.
/// </summary>
public sealed class RecipientConverter : JsonConverter<Recipient>
{
    private static readonly byte[][] RecipientNames = JsonReading.Utf8("person", "name", "phone", "email", "address");
    private static readonly byte[][] AddressNames = JsonReading.Utf8("street", "postalCode", "city", "location");

    private JsonConverter<PersonId>? _person;

    public override Recipient Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonReading.Expect(reader, JsonTokenType.StartObject);
        PersonId? person = null;
        string? name = null;
        string? phone = null;
        string? email = null;
        HomeAddress? address = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = JsonReading.Name(ref reader, RecipientNames);
            reader.Read();
            switch (property)
            {
                case 0:
                    _person ??= (JsonConverter<PersonId>)options.GetConverter(typeof(PersonId));
                    person = _person.Read(ref reader, typeof(PersonId), options);
                    break;
                case 1:
                    name = reader.GetString();
                    break;
                case 2:
                    phone = reader.GetString();
                    break;
                case 3:
                    email = reader.GetString();
                    break;
                case 4:
                    address = reader.TokenType == JsonTokenType.Null ? null : ReadAddress(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        JsonReading.Expect(reader, JsonTokenType.EndObject);
        return new Recipient(
            person ?? throw new JsonException("A recipient has no person."), name ?? throw new JsonException("A recipient has no name."), phone, email, address);
    }

    public override void Write(Utf8JsonWriter writer, Recipient value, JsonSerializerOptions options)
    {
        var naming = options.PropertyNamingPolicy;
        string N(string name) => naming?.ConvertName(name) ?? name;
        writer.WriteStartObject();
        writer.WritePropertyName(N(nameof(Recipient.Person)));
        JsonSerializer.Serialize(writer, value.Person, options);
        writer.WriteString(N(nameof(Recipient.Name)), value.Name);
        writer.WriteString(N(nameof(Recipient.Phone)), value.Phone);
        writer.WriteString(N(nameof(Recipient.Email)), value.Email);
        writer.WritePropertyName(N(nameof(Recipient.Address)));
        JsonSerializer.Serialize(writer, value.Address, options);
        writer.WriteEndObject();
    }

    private static HomeAddress ReadAddress(ref Utf8JsonReader reader)
    {
        JsonReading.Expect(reader, JsonTokenType.StartObject);
        string? street = null;
        string? postalCode = null;
        string? city = null;
        GeoPoint? location = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = JsonReading.Name(ref reader, AddressNames);
            reader.Read();
            switch (property)
            {
                case 0:
                    street = reader.GetString();
                    break;
                case 1:
                    postalCode = reader.GetString();
                    break;
                case 2:
                    city = reader.GetString();
                    break;
                case 3:
                    location = JsonReading.ReadPoint(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        JsonReading.Expect(reader, JsonTokenType.EndObject);
        return new HomeAddress(
            street ?? throw new JsonException("A home address has no street."),
            postalCode ?? throw new JsonException("A home address has no postal code."),
            city ?? throw new JsonException("A home address has no city."),
            location ?? throw new JsonException("A home address has no location."));
    }
}
