using Logistics.EventStore.PersonalData;

namespace Logistics.Testing;

/// <summary>
/// The key-encryption key of this test process: random, the same for every core and store it starts, so a restart
/// over the same database reads its people back (tests of another KEK make their own).
/// </summary>
public static class TestKeks
{
    public static KeyEncryptionKeys Shared { get; } = KeyEncryptionKeys.Parse(KeyEncryptionKeys.NewBase64());
}
