using System.Text;
using System.Text.Json;
using Logistics.Domain;

namespace Logistics.Application.Streams;

/// <summary>What the stored events' own readers share: property names matched as the general path matches them.</summary>
internal static class JsonReading
{
    private static readonly byte[][] PointNames = Utf8("latitude", "longitude");

    /// <summary>The index of the current property's name among <paramref name="names"/> (any case, as the general path reads), or -1.</summary>
    public static int Name(ref Utf8JsonReader reader, byte[][] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        var text = reader.GetString();
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(text, Encoding.UTF8.GetString(names[i]), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Refuses JSON of another shape than the reader expects.</summary>
    public static void Expect(in Utf8JsonReader reader, JsonTokenType token)
    {
        if (reader.TokenType != token)
        {
            throw new JsonException($"Expected {token} in a stored event, found {reader.TokenType}.");
        }
    }

    public static byte[][] Utf8(params string[] names) => [.. names.Select(Encoding.UTF8.GetBytes)];

    /// <summary>A position, <c>{"latitude", "longitude"}</c>.</summary>
    public static GeoPoint ReadPoint(ref Utf8JsonReader reader)
    {
        Expect(reader, JsonTokenType.StartObject);
        double? latitude = null;
        double? longitude = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = Name(ref reader, PointNames);
            reader.Read();
            switch (property)
            {
                case 0:
                    latitude = reader.GetDouble();
                    break;
                case 1:
                    longitude = reader.GetDouble();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        Expect(reader, JsonTokenType.EndObject);

        // As the general path reads a position: a missing coordinate is 0.
        return new GeoPoint(latitude ?? 0, longitude ?? 0);
    }
}
