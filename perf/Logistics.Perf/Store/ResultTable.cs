using System.Globalization;
using System.Text;

namespace Logistics.Perf.Store;

/// <summary>The printed result: one row per writer count and variant, with ratios to the group's references.</summary>
internal static class ResultTable
{
    public static string Format(IReadOnlyList<(int Writers, VariantGroup Group, IReadOnlyDictionary<string, Totals> Totals)> results)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"writers",7}  {"variant",-22} {"events/s",10}  ratio to reference");
        foreach (var (writers, group, totals) in results)
        {
            foreach (var variant in group.Variants)
            {
                var rate = totals[variant.Name].EventsPerSecond;
                var ratios = group.References
                    .Where(r => r != variant.Name && group.Variants.TakeWhile(v => v.Name != variant.Name).Any(v => v.Name == r))
                    .Select(r => string.Create(CultureInfo.InvariantCulture, $"{Ratio(rate, totals[r].EventsPerSecond):F2} of {r}"));
                var ratio = group.References.Contains(variant.Name) && !ratios.Any() ? "reference" : string.Join(", ", ratios);
                text.AppendLine(CultureInfo.InvariantCulture, $"{writers,7}  {variant.Name,-22} {rate,10:N0}  {ratio}");
            }
        }

        return text.ToString();
    }

    public static double Ratio(double value, double reference) => reference > 0 ? value / reference : 0;
}
