namespace Logistics.Lockers.Host.Web;

/// <summary>
/// What the locker page shows (GET state): the doors, the link, the keypad's throttle, recent events, the display's
/// rows (read back from the simulated display's memory on a simulated board; what the panel last wrote otherwise),
/// the buzzer's last pattern (accepted, refused, key; null without a buzzer) and the board program's version.
/// </summary>
public sealed record LockerView(
    string DeviceId,
    string Link,
    long LastSeq,
    long EventsWaiting,
    int KeypadLockedForMinutes,
    bool Simulated,
    IReadOnlyList<DoorView> Doors,
    IReadOnlyList<ActivityLine> Events,
    IReadOnlyList<string> Display,
    string? Feedback,
    string Version);

/// <summary>
/// One door: <c>state</c> is closed, unlocked (latch released or pulse under way) or open; <c>parcelWaiting</c> is true
/// when the board holds a pickup code for this door (it knows of a parcel to collect there).
/// </summary>
public sealed record DoorView(int Number, string State, string Phase, bool LeftOpen, bool OutOfService, bool ParcelWaiting);

/// <summary>A recent event as the page lists it: <c>kind</c> is the payload's kind (or <c>link</c>), <c>text</c> in English.</summary>
public sealed record ActivityLine(long Id, DateTimeOffset At, string Kind, string Text);

/// <summary>
/// The answer to a typed code: <c>outcome</c> is accepted, wrongCode, expired, throttled or notProvisioned;
/// <c>message</c> is the terminal's English sentence (the page words it in French or English from the outcome);
/// <c>compartments</c> lists every door an accepted code opens (several when the recipient's parcels share it).
/// </summary>
public sealed record CodeAnswer(bool Accepted, string Outcome, int? Compartment, int RetryAfterMinutes, string Message)
{
    public IReadOnlyList<int> Compartments { get; init; } = Compartment is { } one ? [one] : [];
}

/// <summary>What a person at a simulated door did: <c>open</c> is the door's state afterwards.</summary>
public sealed record DoorAnswer(int Number, bool Open, string Message);

public sealed record CodeInput(string? Code);

public sealed record ScanInput(string? Text);

/// <summary>
/// The answer to a scan: <c>kind</c> is pickupCode (then <c>code</c> is the typed-code answer) or label (a parcel's
/// label, journalled for the core; <c>compartment</c> when this locker holds that parcel).
/// </summary>
public sealed record ScanAnswer(string Kind, CodeAnswer? Code, string? Text, int? Compartment);
