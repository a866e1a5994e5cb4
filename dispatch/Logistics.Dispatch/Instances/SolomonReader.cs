using Logistics.Dispatch.Model;
using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Instances;

/// <summary>
/// Solomon VRPTW files: a name, a VEHICLE block (number, capacity), a CUSTOMER block of
/// "id x y demand ready due service", row 0 the depot. Each customer becomes a depot delivery (a request without pickup).
/// </summary>
public static class SolomonReader
{
    public static BenchmarkInstance Read(string path) => Parse(Path.GetFileNameWithoutExtension(path), File.ReadAllText(path));

    public static BenchmarkInstance Parse(string name, string text)
    {
        var lines = Fields.NumericLines(text, name);
        var fleet = lines.FirstOrDefault(l => l.Length == 2) ?? throw new FormatException($"{name}: no VEHICLE line 'number capacity'.");
        var rows = lines.Where(l => l.Length >= 7).ToList();
        if (rows.Count == 0 || (int)rows[0][0] != 0)
        {
            throw new FormatException($"{name}: the CUSTOMER block must start with the depot, row 0.");
        }

        var depot = rows[0];
        var customers = rows.Skip(1).ToList();
        var locations = rows.Select(r => (r[1], r[2])).ToList();
        var stops = customers.Select((c, i) => new Stop(i + 1, new TimeWindow(c[4], c[5]), c[6])).ToList();
        var requests = customers.Select((c, i) => new Request(null, i, (int)c[3], ((int)c[0]).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var shift = new TimeWindow(depot[4], depot[5]);
        var vehicles = Enumerable.Range(0, (int)fleet[0]).Select(_ => new Vehicle(0, 0, shift, (int)fleet[1])).ToList();
        var problem = new ProblemData(new EuclideanTravelMatrix(locations), stops, requests, vehicles, Objective.Hierarchical);
        return new BenchmarkInstance(name, problem, customers.Select(c => (int)c[0]).ToArray());
    }
}
