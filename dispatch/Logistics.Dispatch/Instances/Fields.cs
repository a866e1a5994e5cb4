using System.Globalization;

namespace Logistics.Dispatch.Instances;

/// <summary>Whitespace-separated numeric lines (the files mix tabs, spaces and CRLF).</summary>
internal static class Fields
{
    public static List<double[]> NumericLines(string text, string name) =>
        text.Split('\n')
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 0 && fields.All(f => double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            .Select(fields => fields.Select(f => double.Parse(f, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray())
            .ToList() is { Count: > 0 } lines
            ? lines
            : throw new FormatException($"{name}: no numeric lines.");
}
