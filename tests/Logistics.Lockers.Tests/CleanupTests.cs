using Logistics.Testing;

namespace Logistics.Lockers.Tests;

public sealed class CleanupTests
{
    [Fact]
    public void EveryTestClassIsCleanedUpAfterEachTest() => Assert.Empty(TestClassCleanup.NeverCleanedUp(typeof(CleanupTests).Assembly));
}
