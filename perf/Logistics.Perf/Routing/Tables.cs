using System.Globalization;

namespace Logistics.Perf.Routing;

internal static class Tables
{
    public static void PrintFamilies(IReadOnlyList<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("family  instances  at-bks-veh  extra-veh   vehicles  bks-veh     distance  mean-gap%  mean-s  feasible");
        foreach (var family in rows.GroupBy(r => r.Family).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var gaps = family.Where(r => r.Gap is not null).Select(r => r.Gap!.Value).ToList();
            var withBest = family.Where(r => r.Best is not null).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{family.Key,-7} {family.Count(),9} {family.Count(r => r.AtBestVehicles),11} {family.Sum(r => r.ExtraVehicles),10} {family.Sum(r => r.Vehicles),10} {(withBest.Count > 0 ? withBest.Sum(r => r.Best!.Value.Vehicles).ToString(CultureInfo.InvariantCulture) : ""),8} {family.Sum(r => r.Distance),12:F2} {(gaps.Count > 0 ? gaps.Average().ToString("F2", CultureInfo.InvariantCulture) : ""),10} {family.Average(r => r.Seconds),7:F2} {family.Count(r => r.Feasible),5}/{family.Count()}"));
        }

        Console.WriteLine();
    }

    public static void PrintSummary(IReadOnlyList<Row> rows)
    {
        var gaps = rows.Where(r => r.Gap is not null).Select(r => r.Gap!.Value).ToList();
        var withBest = rows.Count(r => r.Best is not null);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"summary: {rows.Count(r => r.AtBestVehicles)}/{withBest} at best-known vehicle count, {rows.Sum(r => r.ExtraVehicles)} extra vehicles, mean distance gap {(gaps.Count > 0 ? gaps.Average().ToString("F2", CultureInfo.InvariantCulture) : "n/a")} % over {gaps.Count} where vehicles match, time mean {(rows.Count > 0 ? rows.Average(r => r.Seconds) : 0):F2} s max {(rows.Count > 0 ? rows.Max(r => r.Seconds) : 0):F2} s, feasible {rows.Count(r => r.Feasible)}/{rows.Count}"));
    }
}
