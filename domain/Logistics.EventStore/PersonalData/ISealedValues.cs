namespace Logistics.EventStore.PersonalData;

/// <summary>A converter that seals values per person: a reader of many events preloads their people's keys.</summary>
public interface ISealedValues
{
    IPersonalDataKeys Keys { get; }
}

/// <summary>Finds the people whose sealed values a stored JSON text holds (<c>"person": id</c>, as the converter writes them).</summary>
public static class SealedPeople
{
    private const string Marker = "\"person\"";

    /// <summary>As <see cref="Find(string, ICollection{string})"/>, in the JSON's UTF-8 (person ids are ASCII).</summary>
    public static void Find(ReadOnlySpan<byte> json, ICollection<string> people)
    {
        var at = 0;
        while (true)
        {
            var found = json[at..].IndexOf("\"person\""u8);
            if (found < 0)
            {
                return;
            }

            at += found + Marker.Length;
            var rest = json[at..].TrimStart(" \t\r\n"u8);
            if (rest.IsEmpty || rest[0] != (byte)':')
            {
                continue;
            }

            rest = rest[1..].TrimStart(" \t\r\n"u8);
            if (rest.IsEmpty || rest[0] != (byte)'"')
            {
                continue;
            }

            var end = rest[1..].IndexOfAny((byte)'"', (byte)'\\');
            if (end > 0 && rest[1 + end] == (byte)'"')
            {
                people.Add(System.Text.Encoding.UTF8.GetString(rest.Slice(1, end)));
            }
        }
    }

    /// <summary>Adds the person ids found in <paramref name="json"/>. A missed id only costs a later look-up of its own.</summary>
    public static void Find(string json, ICollection<string> people)
    {
        var text = json.AsSpan();
        var at = 0;
        while (true)
        {
            var found = text[at..].IndexOf(Marker, StringComparison.Ordinal);
            if (found < 0)
            {
                return;
            }

            at += found + Marker.Length;
            var rest = text[at..].TrimStart();
            if (rest.IsEmpty || rest[0] != ':')
            {
                continue;
            }

            rest = rest[1..].TrimStart();
            if (rest.IsEmpty || rest[0] != '"')
            {
                continue;
            }

            var end = rest[1..].IndexOfAny('"', '\\');
            if (end > 0 && rest[1 + end] == '"')
            {
                people.Add(rest.Slice(1, end).ToString());
            }
        }
    }
}
