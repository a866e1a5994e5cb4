using System.Text.Json.Serialization;

namespace Logistics.LockerLink;

/// <summary>Frames the board sends.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Hello), "hello")]
[JsonDerivedType(typeof(Event), "event")]
public abstract record BoardMessage
{
    private BoardMessage()
    {
    }

    /// <summary>
    /// The board's answer to the challenge: its ECDSA P-256 signature (P1363, base64) with its device key over
    /// <see cref="CanonicalForm.Of(Hello)"/>, which binds the core's fresh nonce so a recorded hello cannot be replayed.
    /// <paramref name="ProgramVersion"/> is the board program's version (signed with the rest; absent from boards
    /// older than fleet updates, whose signature then covers the first four fields only).
    /// </summary>
    public sealed record Hello(string DeviceId, Guid BootId, string Nonce, long LastSeq, string Signature, string? ProgramVersion = null) : BoardMessage;

    public sealed record Event(DeviceEvent Body) : BoardMessage;
}

/// <summary>Frames the core sends.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Challenge), "challenge")]
[JsonDerivedType(typeof(Welcome), "welcome")]
[JsonDerivedType(typeof(Ack), "ack")]
[JsonDerivedType(typeof(Command), "command")]
public abstract record CoreMessage
{
    private CoreMessage()
    {
    }

    /// <summary>First frame on every connection: a fresh random nonce (32 bytes, base64).</summary>
    public sealed record Challenge(string Nonce) : CoreMessage;

    /// <summary>
    /// Hello accepted; <paramref name="AckedSeq"/> is the highest seq of this device the core has stored.
    /// <paramref name="Signature"/>: the core's command key over <see cref="CanonicalForm.Of(Welcome, LinkSession)"/>
    /// (bound to the device and this connection's nonce); the board drops nothing from its journal before it verifies.
    /// </summary>
    public sealed record Welcome(long AckedSeq, string Signature = "") : CoreMessage;

    /// <summary>
    /// Every event up to and including <paramref name="UpToSeq"/> is stored by the core; signed like
    /// <see cref="Welcome"/> over <see cref="CanonicalForm.Of(Ack, LinkSession)"/>, so only the core can make a board
    /// forget an event.
    /// </summary>
    public sealed record Ack(long UpToSeq, string Signature = "") : CoreMessage;

    public sealed record Command(SignedCommand Signed) : CoreMessage;
}

/// <summary>
/// What binds the core's welcome and acks to one connection: the device that signed the hello and the nonce of the
/// challenge it answered. A signed ack cannot be replayed to another board or on another connection.
/// </summary>
public sealed record LinkSession(string DeviceId, string Nonce);
