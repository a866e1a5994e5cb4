namespace Logistics.LockerLink;

/// <summary>
/// The locker link in one place: a WebSocket from the board to the core's gateway, JSON text frames, one
/// message per frame (<see cref="LinkJson"/>). Handshake: the core sends <see cref="CoreMessage.Challenge"/>,
/// the board answers <see cref="BoardMessage.Hello"/> signed with its device key, the core answers
/// <see cref="CoreMessage.Welcome"/> (or closes with <see cref="PolicyViolation"/>). Then the board streams
/// <see cref="BoardMessage.Event"/> in sequence order and the core acknowledges cumulatively.
/// </summary>
public static class LinkProtocol
{
    public const string Path = "/lockers/link";

    public const string SubProtocol = "logistics.locker.v1";

    /// <summary>Most events the board sends before it waits for an acknowledgement.</summary>
    public const int SendWindow = 512;

    /// <summary>WebSocket close status the core uses when the handshake fails (1008).</summary>
    public const int PolicyViolation = 1008;
}
