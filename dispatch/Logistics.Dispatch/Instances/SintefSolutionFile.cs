using System.Globalization;
using System.Text;

namespace Logistics.Dispatch.Instances;

/// <summary>Solutions in SINTEF's published format: a small header, then "Route k : id id ..." with the file's node ids, depot left out.</summary>
public static class SintefSolutionFile
{
    public static string Format(BenchmarkInstance instance, Solution solution, DateOnly date)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Instance name : {instance.Name}\n");
        text.Append("Authors       : Logistics dispatch solver\n");
        text.Append(CultureInfo.InvariantCulture, $"Date          : {date:yyyy-MM-dd}\n");
        text.Append("Reference     : ruin and recreate after SISR (Christiaens & Vanden Berghe 2020)\n");
        text.Append("Solution\n");
        for (var k = 0; k < solution.Routes.Count; k++)
        {
            var ids = solution.Routes[k].Stops.Select(s => instance.StopIds[s].ToString(CultureInfo.InvariantCulture));
            text.Append(CultureInfo.InvariantCulture, $"Route {k + 1} : {string.Join(' ', ids)}\n");
        }

        return text.ToString();
    }
}
