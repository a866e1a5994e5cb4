namespace Logistics.Testing;

/// <summary>The repository's checkout the tests run from: the folder holding Logistics.sln, above the test's output.</summary>
public static class Checkout
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Logistics.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Logistics.sln not found above " + AppContext.BaseDirectory);
    }
}
