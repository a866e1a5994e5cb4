using BenchmarkDotNet.Running;

// One entry point: named runners print their own tables; anything else goes to BenchmarkDotNet.
return args.FirstOrDefault() switch
{
    "routing" => Logistics.Perf.Routing.RoutingRunner.Run(args[1..]),
    "store" => await Logistics.Perf.Store.StoreRunner.RunAsync(args[1..]),
    "rebuild" => await Logistics.Perf.Rebuild.RebuildRunner.RunAsync(args[1..]),
    "locker" => await Logistics.Perf.LockerBoard.LockerRunner.RunAsync(args[1..]),
    "federation" => await Logistics.Perf.Federation.FederationDayRunner.RunAsync(args[1..]),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
