namespace Logistics.Lockers.Host.Configuration;

public sealed partial record LockerConfig
{
    /// <summary>
    /// A simulated locker of <paramref name="compartments"/> doors numbered from 1 (two doors per supply rail), with a
    /// 16×2 display and a buzzer (no matrix keypad: its page has one, and a scanning thread per demo locker is waste), its
    /// journal and keys in <paramref name="dataDirectory"/>: <c>journal.db</c>, <c>device-key.pem</c> (made on
    /// first start, public half in <c>device-key.pem.pub</c>) and <c>core-public.pem</c> (the core's command key).
    /// </summary>
    public static LockerConfig SimulatedDemo(string deviceId, int compartments, string dataDirectory, Uri? coreUrl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(compartments, 1);
        var config = new LockerConfig
        {
            DeviceId = deviceId,
            CoreUrl = coreUrl,
            JournalPath = System.IO.Path.Combine(dataDirectory, "journal.db"),
            DeviceKeyPath = System.IO.Path.Combine(dataDirectory, "device-key.pem"),
            CorePublicKeyPath = System.IO.Path.Combine(dataDirectory, "core-public.pem"),
            Doors = new DoorTimings { PulseMs = 300, MaxOnMs = 1000, OpenTimeoutMs = 4000, LeftOpenAfterSeconds = 120, DebounceMs = 30 },
            Display = new DisplayConfig(),
            Buzzer = new BuzzerConfig { Line = "board:1" },
            Compartments = [.. Enumerable.Range(1, compartments).Select(n => new CompartmentConfig
            {
                Number = n,
                Relay = $"board:{2 * n}",
                Sensor = $"board:{(2 * n) + 1}",
                Rail = (n - 1) / 2,
            })],
        };
        config.Validate();
        return config;
    }
}
