using System.Collections.Concurrent;

namespace Logistics.Perf.Federation;

/// <summary>Milliseconds by name (an endpoint, command latency, projection lag), and answers by status class.</summary>
internal sealed class Latencies
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _samples = new();
    private readonly ConcurrentDictionary<string, int> _failures = new();

    public void Add(string name, double milliseconds) => _samples.GetOrAdd(name, _ => []).Add(milliseconds);

    public void Fail(string name) => _failures.AddOrUpdate(name, 1, (_, n) => n + 1);

    public IEnumerable<string> Names => _samples.Keys.Union(_failures.Keys).Order(StringComparer.Ordinal);

    public int Count(string name) => _samples.TryGetValue(name, out var bag) ? bag.Count : 0;

    public int Failures(string name) => _failures.GetValueOrDefault(name);

    /// <summary>The p-th percentile (0..1) of one name, or of several names' samples together; 0 without samples.</summary>
    public double Percentile(double p, params string[] names)
    {
        var all = names.SelectMany(n => _samples.TryGetValue(n, out var bag) ? bag : []).Order().ToList();
        return all.Count == 0 ? 0 : all[Math.Clamp((int)Math.Ceiling(p * all.Count) - 1, 0, all.Count - 1)];
    }
}
