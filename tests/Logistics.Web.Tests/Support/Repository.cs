using Logistics.Testing;

namespace Logistics.Web.Tests.Support;

/// <summary>Paths in the checkout: the pages are served from the API project's folder; screenshots go to artifacts/.</summary>
public static class Repository
{
    public static string Root => Checkout.Root;

    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(Root, "artifacts", "screenshots")).FullName;
}
