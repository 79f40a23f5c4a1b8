using RiverRun.Bench;

// riverrun-bench: the load generators behind bench/drain-200 and bench/simulated-runners.
return await BenchCommand.RunAsync(args).ConfigureAwait(false);
