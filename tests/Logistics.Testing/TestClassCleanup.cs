using System.Reflection;

namespace Logistics.Testing;

/// <summary>
/// xUnit 2 cleans a test class up through <see cref="IDisposable"/> or <c>IAsyncLifetime</c>, never through
/// <see cref="IAsyncDisposable"/>: a test class with only the latter leaves its links running and its folders behind
/// after every test. Each test project checks its own classes with <see cref="NeverCleanedUp"/>.
/// </summary>
public static class TestClassCleanup
{
    /// <summary>The test classes of <paramref name="tests"/> whose only clean-up is <see cref="IAsyncDisposable.DisposeAsync"/>.</summary>
    public static IReadOnlyList<string> NeverCleanedUp(Assembly tests) =>
        [.. tests.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetMethods().Any(IsTest))
            .Where(t => typeof(IAsyncDisposable).IsAssignableFrom(t) && !typeof(IDisposable).IsAssignableFrom(t) && t.GetInterface("Xunit.IAsyncLifetime") is null)
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)];

    // [Fact], [Theory] (a Fact) and the project's own kinds of fact, without this library depending on xUnit.
    private static bool IsTest(MethodInfo method) =>
        method.GetCustomAttributes(inherit: true).Any(a =>
        {
            for (var type = a.GetType(); type is not null; type = type.BaseType)
            {
                if (type.FullName == "Xunit.FactAttribute")
                {
                    return true;
                }
            }

            return false;
        });
}
