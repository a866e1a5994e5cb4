using Logistics.Testing;

namespace Logistics.Web.Tests;

public sealed class CleanupTests
{
    [Fact]
    public void EveryTestClassIsCleanedUpAfterEachTest() => Assert.Empty(TestClassCleanup.NeverCleanedUp(typeof(CleanupTests).Assembly));
}
