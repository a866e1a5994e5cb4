using System.Globalization;

namespace Logistics.Perf.Routing;

/// <summary>The best-known table next to an instance folder: &lt;folder&gt;-bks.csv with instance,vehicles,distance[,source].</summary>
internal static class BestKnown
{
    public static Dictionary<string, (int Vehicles, double Distance)> Load(string folder)
    {
        var path = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + "-bks.csv";
        var table = new Dictionary<string, (int, double)>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return table;
        }

        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = line.Split(',');
            if (fields.Length >= 3
                && int.TryParse(fields[1], CultureInfo.InvariantCulture, out var vehicles)
                && double.TryParse(fields[2], CultureInfo.InvariantCulture, out var distance))
            {
                table[fields[0].Trim()] = (vehicles, distance);
            }
        }

        return table;
    }
}
