using RiverRun.Bench;

// riverrun-bench: the load generators behind bench/drain-200, bench/simulated-runners and bench/submit-and-soak.
return await BenchCommand.RunAsync(args).ConfigureAwait(false);
