using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Logistics.Lockers.Doors;

namespace Logistics.Lockers.Host.Configuration;

/// <summary>The board's configuration file (JSON, camelCase); see lockers/README.md for an example.</summary>
public sealed partial record LockerConfig
{
    public required string DeviceId { get; init; }

    /// <summary>The core's base address; no link when absent (a locker that only works offline, or a bench test).</summary>
    public Uri? CoreUrl { get; init; }

    public string JournalPath { get; init; } = "/var/lib/logistics-locker/journal.db";

    /// <summary>The board's ECDSA P-256 private key (PKCS#8 PEM), made by <c>keygen</c>.</summary>
    public string DeviceKeyPath { get; init; } = "/etc/logistics-locker/device-key.pem";

    /// <summary>The core's command-signing public key (SubjectPublicKeyInfo PEM).</summary>
    public string CorePublicKeyPath { get; init; } = "/etc/logistics-locker/core-public.pem";

    public DoorTimings Doors { get; init; } = new();

    /// <summary>
    /// Simulated board only (tests and diagnostics): every coil switch-on is appended to this file, with its unlock
    /// intent, and flushed before the relay is written, so a kill -9 cannot hide a pulse. Null: no log.
    /// </summary>
    public string? PulseLogPath { get; init; }

    public IReadOnlyList<ChipConfig> Chips { get; init; } = [new ChipConfig { Name = "board" }];

    /// <summary>The language of the display's messages: <c>fr</c> or <c>en</c>.</summary>
    public string Language { get; init; } = "fr";

    /// <summary>The matrix keypad at the doors; none when absent.</summary>
    public KeypadConfig? Keypad { get; init; }

    /// <summary>The character display (PCF8574 I²C backpack); none when absent.</summary>
    public DisplayConfig? Display { get; init; }

    /// <summary>An active buzzer or an LED for "accepted"/"refused"; none when absent.</summary>
    public BuzzerConfig? Buzzer { get; init; }

    /// <summary>The QR/barcode scanner in serial mode; none when absent.</summary>
    public ScannerConfig? Scanner { get; init; }

    /// <summary>Fleet updates (signed releases from the core, rolled back by the board itself); none when absent.</summary>
    public UpdateConfig? Update { get; init; }

    public required IReadOnlyList<CompartmentConfig> Compartments { get; init; }

    public static LockerConfig Load(string path)
    {
        var config = JsonSerializer.Deserialize<LockerConfig>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"{path} is empty.");
        config.Validate();
        return config;
    }

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public void Validate()
    {
        if (Compartments.Count == 0)
        {
            throw new InvalidDataException("No compartments configured.");
        }

        if (Compartments.GroupBy(c => c.Number).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidDataException($"Compartment {twice.Key} is configured twice.");
        }

        var lines = Compartments.SelectMany(c => new[] { c.Relay, c.Sensor, c.Latch }).OfType<string>()
            .Concat(Keypad is { } keypad ? keypad.Rows.Concat(keypad.Columns) : [])
            .Concat(Buzzer is { } buzzer ? [buzzer.Line] : [])
            .ToList();
        if (lines.GroupBy(l => l).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            throw new InvalidDataException($"Line {shared.Key} is wired to two things.");
        }

        foreach (var line in lines)
        {
            var (chip, _) = CompartmentConfig.ParseLine(line);
            if (Chips.All(c => c.Name != chip))
            {
                throw new InvalidDataException($"Line {line} names an unknown chip.");
            }
        }

        if (Language is not ("fr" or "en"))
        {
            throw new InvalidDataException($"Language '{Language}' is not fr or en.");
        }

        if (Keypad is { } k && k.Layout.Length != k.Rows.Count * k.Columns.Count)
        {
            throw new InvalidDataException($"The keypad's layout has {k.Layout.Length} keys for {k.Rows.Count}×{k.Columns.Count} lines.");
        }

        if (Display is { } d && (d.Columns, d.Rows) is not ((16, 2) or (20, 4)))
        {
            throw new InvalidDataException("The display is 16×2 or 20×4.");
        }

        if (CoreUrl is { } core && new Link.LinkOptions { CoreUrl = core }.Refusal is { } insecure)
        {
            throw new InvalidDataException($"coreUrl {core}: {insecure}.");
        }

        Doors.ToOptions().Validate();
    }
}

public sealed record DoorTimings
{
    public int PulseMs { get; init; } = 300;

    public int MaxOnMs { get; init; } = 1000;

    public int OpenTimeoutMs { get; init; } = 4000;

    public int LeftOpenAfterSeconds { get; init; } = 120;

    public int DebounceMs { get; init; } = 50;

    public bool RelayActiveLow { get; init; }

    public bool SensorHighWhenOpen { get; init; } = true;

    public DoorOptions ToOptions() => new()
    {
        PulseLength = TimeSpan.FromMilliseconds(PulseMs),
        MaxOnTime = TimeSpan.FromMilliseconds(MaxOnMs),
        OpenTimeout = TimeSpan.FromMilliseconds(OpenTimeoutMs),
        LeftOpenAfter = TimeSpan.FromSeconds(LeftOpenAfterSeconds),
        Debounce = TimeSpan.FromMilliseconds(DebounceMs),
    };
}

/// <summary>
/// A GPIO chip (<c>gpiochip</c>, <see cref="Path"/>, through libgpiod) or an MCP23017 expander (<c>mcp23017</c>,
/// <see cref="Bus"/>, <see cref="Address"/>; its inputs read every <see cref="PollMs"/>).
/// </summary>
public sealed record ChipConfig
{
    public required string Name { get; init; }

    public string Kind { get; init; } = "gpiochip";

    public string Path { get; init; } = "/dev/gpiochip0";

    public int Bus { get; init; } = 1;

    public int Address { get; init; } = 0x20;

    public int PollMs { get; init; } = 10;

    /// <summary>The chip number libgpiod takes: 4 for <c>/dev/gpiochip4</c>.</summary>
    [JsonIgnore]
    public int ChipNumber
    {
        get
        {
            var file = System.IO.Path.GetFileName(Path);
            return file.StartsWith("gpiochip", StringComparison.Ordinal) && int.TryParse(file.AsSpan("gpiochip".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new InvalidDataException($"Chip {Name}: '{Path}' is not /dev/gpiochipN.");
        }
    }
}

/// <summary>One compartment; lines are written <c>chip:line</c>, e.g. <c>board:17</c> or <c>x1:8</c>.</summary>
public sealed record CompartmentConfig
{
    public required int Number { get; init; }

    public required string Relay { get; init; }

    public required string Sensor { get; init; }

    public string? Latch { get; init; }

    public int Rail { get; init; }

    public CompartmentId Id => new(Number);

    public static (string Chip, int Line) ParseLine(string line)
    {
        var colon = line.LastIndexOf(':');
        return colon > 0 && int.TryParse(line.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= 0
            ? (line[..colon], number)
            : throw new InvalidDataException($"Line '{line}' is not chip:number.");
    }
}

/// <summary>A membrane matrix keypad: row lines driven by the scan, column lines read with pull-downs.</summary>
public sealed record KeypadConfig
{
    public required IReadOnlyList<string> Rows { get; init; }

    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>The keys row by row; <c>*</c> clears, <c>#</c> enters.</summary>
    public string Layout { get; init; } = "123A456B789C*0#D";

    public int ScanMs { get; init; } = 20;
}

/// <summary>An HD44780 display on a PCF8574 backpack at <see cref="Address"/> on <c>/dev/i2c-{Bus}</c>.</summary>
public sealed record DisplayConfig
{
    public int Bus { get; init; } = 1;

    public int Address { get; init; } = 0x27;

    public int Columns { get; init; } = 16;

    public int Rows { get; init; } = 2;
}

public sealed record BuzzerConfig
{
    public required string Line { get; init; }

    public bool ActiveHigh { get; init; } = true;
}

/// <summary>A scanner that sends each code as a line on a serial port (USB CDC-ACM or UART).</summary>
public sealed record ScannerConfig
{
    public string Port { get; init; } = "/dev/ttyACM0";

    public int BaudRate { get; init; } = 9600;
}

/// <summary>
/// Where releases are installed (<see cref="Updates.ReleaseLayout"/>), the release key's public half (the private half
/// never leaves the release manager), how long a new release has to reach the core, how often it may fail to start.
/// </summary>
public sealed record UpdateConfig
{
    public string Root { get; init; } = "/opt/logistics-locker";

    public string ReleasePublicKeyPath { get; init; } = "/etc/logistics-locker/release-public.pem";

    public int ConfirmWithinSeconds { get; init; } = 300;

    public int MaxTrialStarts { get; init; } = 3;

    /// <summary>Installed versions kept, current and previous included.</summary>
    public int KeepVersions { get; init; } = 3;
}
