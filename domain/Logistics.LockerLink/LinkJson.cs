using System.Text.Json;

namespace Logistics.LockerLink;

/// <summary>The one JSON shape of link frames, for both ends.</summary>
public static class LinkJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Serialize(BoardMessage message) => JsonSerializer.Serialize(message, Options);

    public static string Serialize(CoreMessage message) => JsonSerializer.Serialize(message, Options);

    public static string Serialize(DevicePayload payload) => JsonSerializer.Serialize(payload, Options);

    public static BoardMessage ReadBoardMessage(string json) =>
        JsonSerializer.Deserialize<BoardMessage>(json, Options) ?? throw new JsonException("Empty board frame.");

    public static CoreMessage ReadCoreMessage(string json) =>
        JsonSerializer.Deserialize<CoreMessage>(json, Options) ?? throw new JsonException("Empty core frame.");

    public static DevicePayload ReadPayload(string json) =>
        JsonSerializer.Deserialize<DevicePayload>(json, Options) ?? throw new JsonException("Empty payload.");
}
