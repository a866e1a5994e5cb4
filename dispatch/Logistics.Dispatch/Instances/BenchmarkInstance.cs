using Logistics.Dispatch.Model;

namespace Logistics.Dispatch.Instances;

/// <summary>A benchmark file read into a problem; <see cref="StopIds"/> gives each stop's node id in the file (for solution files).</summary>
public sealed record BenchmarkInstance(string Name, ProblemData Problem, IReadOnlyList<int> StopIds)
{
    /// <summary>The literature's family: letters then the first digit (lc101 → lc1, rc204 → rc2).</summary>
    public string Family
    {
        get
        {
            var letters = new string(Name.TakeWhile(char.IsLetter).ToArray());
            var digit = Name.Skip(letters.Length).FirstOrDefault();
            return (letters + digit).ToLowerInvariant();
        }
    }

    /// <summary>Reads either format, told apart by the first line (Li &amp; Lim starts with three numbers).</summary>
    public static BenchmarkInstance Read(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var text = File.ReadAllText(path);
        var first = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        var looksLiLim = first.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).All(f => double.TryParse(f, System.Globalization.CultureInfo.InvariantCulture, out _));
        return looksLiLim ? LiLimReader.Parse(name, text) : SolomonReader.Parse(name, text);
    }
}
