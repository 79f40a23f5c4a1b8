using RiverRun.Bench;

// riverrun-bench: the load generators behind bench/drain-200, bench/simulated-runners and bench/submit-and-soak,
// and the bare gRPC relay behind bench/relay-floor.
return await BenchCommand.RunAsync(args).ConfigureAwait(false);
