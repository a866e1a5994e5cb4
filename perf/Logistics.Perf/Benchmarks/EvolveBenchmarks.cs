using BenchmarkDotNet.Attributes;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;

namespace Logistics.Perf.Benchmarks;

/// <summary>
/// Rebuilding state from a stream, as every command does before it decides: a parcel's history and a busy locker's.
/// Run with <c>dotnet run -c Release --project perf/Logistics.Perf -- --filter *Evolve*</c>.
/// </summary>
[MemoryDiagnoser]
public class EvolveBenchmarks
{
    private ParcelEvent[] _parcel = [];
    private LockerEvent[] _locker = [];

    [Params(100, 10_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _parcel = Streams.ParcelHistory(Events);
        _locker = Streams.LockerHistory(Events);
    }

    [Benchmark]
    public Parcel Parcel()
    {
        var state = Logistics.Domain.Parcels.Parcel.Initial;
        foreach (var e in _parcel)
        {
            state = Logistics.Domain.Parcels.Parcel.Evolve(state, e);
        }

        return state;
    }

    [Benchmark]
    public Locker Locker()
    {
        var state = Logistics.Domain.Lockers.Locker.Initial;
        foreach (var e in _locker)
        {
            state = Logistics.Domain.Lockers.Locker.Evolve(state, e);
        }

        return state;
    }
}
