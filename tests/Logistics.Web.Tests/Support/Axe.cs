using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Logistics.Web.Tests.Support;

/// <summary>
/// axe-core (Deque's engine, shipped inside its NuGet package) run in the page as it stands, on the rules of WCAG 2.0
/// and 2.1 at levels A and AA — the level the French RGAA builds on.
/// </summary>
public static class Axe
{
    private static readonly AxeRunOptions WcagAA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <summary>The page's violations, each named by <paramref name="name"/> (page, language and size) for the report.</summary>
    public static async Task<IReadOnlyList<Violation>> CheckAsync(IPage page, string name)
    {
        var result = await page.RunAxe(WcagAA);
        // The AA rules did run (contrast is the first a page in use could break).
        Assert.Contains("color-contrast", result.Passes.Concat(result.Violations).Concat(result.Incomplete).Select(r => r.Id));
        return [.. result.Violations.Select(v => new Violation(name, v.Id, v.Impact, v.Help, [.. v.Nodes.Select(n => n.Target.ToString())]))];
    }

    /// <summary>The violations within one part of the page (a section), named as above.</summary>
    public static async Task<IReadOnlyList<Violation>> CheckAsync(ILocator part, string name)
    {
        var result = await part.RunAxe(WcagAA);
        Assert.Contains("color-contrast", result.Passes.Concat(result.Violations).Concat(result.Incomplete).Select(r => r.Id));
        return [.. result.Violations.Select(v => new Violation(name, v.Id, v.Impact, v.Help, [.. v.Nodes.Select(n => n.Target.ToString())]))];
    }

    /// <summary>What a test prints on failure: each violation, then the count of elements per rule.</summary>
    public static string Report(IReadOnlyCollection<Violation> violations)
    {
        var text = new StringBuilder();
        foreach (var v in violations)
        {
            text.AppendLine($"{v.Page}: {v.Rule} ({v.Impact}) {v.Help}");
            foreach (var target in v.Targets)
            {
                text.AppendLine($"    {target}");
            }
        }

        text.AppendLine("per rule (elements): " + string.Join(", ", violations.GroupBy(v => v.Rule)
            .Select(g => $"{g.Key} {g.Sum(v => v.Targets.Count)}")));
        return text.ToString();
    }

    public sealed record Violation(string Page, string Rule, string? Impact, string Help, IReadOnlyList<string> Targets);
}
