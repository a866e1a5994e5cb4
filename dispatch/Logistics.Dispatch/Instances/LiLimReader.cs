using Logistics.Dispatch.Model;
using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Instances;

/// <summary>
/// Li &amp; Lim PDPTW files: line 1 "vehicles capacity speed" (speed ignored: travel time = distance), then
/// "id x y demand earliest latest service pickupIndex deliveryIndex", node 0 the depot.
/// Pairing is checked both ways: a delivery without its pickup is refused with the line at fault.
/// </summary>
public static class LiLimReader
{
    public static BenchmarkInstance Read(string path) => Parse(Path.GetFileNameWithoutExtension(path), File.ReadAllText(path));

    public static BenchmarkInstance Parse(string name, string text)
    {
        var lines = Fields.NumericLines(text, name);
        var header = lines[0];
        if (header.Length < 2)
        {
            throw new FormatException($"{name}: the first line must be 'vehicles capacity speed'.");
        }

        var nodes = lines.Skip(1).ToList();
        if (nodes.Any(n => n.Length < 9))
        {
            throw new FormatException($"{name}: every node line needs 9 fields.");
        }

        var byId = new Dictionary<int, double[]>();
        foreach (var node in nodes)
        {
            if (!byId.TryAdd((int)node[0], node))
            {
                throw new FormatException($"{name}: node {(int)node[0]} appears twice.");
            }
        }

        if (!byId.TryGetValue(0, out var depot))
        {
            throw new FormatException($"{name}: no depot (node 0).");
        }

        var ids = byId.Keys.Where(id => id != 0).Order().ToArray();
        var locations = new List<(double X, double Y)> { (depot[1], depot[2]) };
        locations.AddRange(ids.Select(id => (byId[id][1], byId[id][2])));
        var stopOf = ids.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index);
        var stops = ids.Select((id, index) => new Stop(index + 1, new TimeWindow(byId[id][4], byId[id][5]), byId[id][6])).ToList();
        var requests = new List<Request>();
        foreach (var id in ids)
        {
            var node = byId[id];
            int pickupOf = (int)node[7], deliveryOf = (int)node[8];
            if (pickupOf == 0 && deliveryOf > 0)
            {
                if (!byId.TryGetValue(deliveryOf, out var delivery) || (int)delivery[7] != id)
                {
                    throw new FormatException($"{name}: pickup {id} names delivery {deliveryOf}, which does not name it back.");
                }

                requests.Add(new Request(stopOf[id], stopOf[deliveryOf], (int)node[3], id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else if (pickupOf > 0)
            {
                if (!byId.TryGetValue(pickupOf, out var pickup) || (int)pickup[8] != id)
                {
                    throw new FormatException($"{name}: delivery {id} names pickup {pickupOf}, which does not exist or does not name it back (a delivery without its pickup).");
                }
            }
            else
            {
                throw new FormatException($"{name}: node {id} is neither a pickup nor a delivery.");
            }
        }

        var shift = new TimeWindow(depot[4], depot[5]);
        var vehicles = Enumerable.Range(0, (int)header[0]).Select(v => new Vehicle(0, 0, shift, (int)header[1])).ToList();
        var problem = new ProblemData(new EuclideanTravelMatrix(locations), stops, requests, vehicles, Objective.Hierarchical);
        return new BenchmarkInstance(name, problem, ids);
    }
}
