namespace Logistics.Web.Tests.Support;

/// <summary>Paths in the checkout: the pages are served from the API project's folder; screenshots go to artifacts/.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(Root, "artifacts", "screenshots")).FullName;

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
