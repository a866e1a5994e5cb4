namespace Logistics.Api.Pages;

/// <summary>The pages people use (shop counter, courier round, customer tracking, operator console) and their live feed.</summary>
public static class PageEndpoints
{
    public static void MapPages(this WebApplication app)
    {
        app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();
    }
}
